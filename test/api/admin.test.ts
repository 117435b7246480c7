// The operator's API (/admin/v1), on Node and inside workerd: off without ADMIN_TOKEN, behind the
// token with failures throttled, and provisioning that the clinic's own /v1 then sees.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import { UNLIMITED } from '../support/http.js';
import type { TestApp } from '../support/types.js';

const TOKEN = 'admin-token-for-tests-0123456789-abcdefghij';
let off: TestApp;
let app: TestApp;
let names = 0;
const uniqueName = () => `Clínica Admin ${++names} ${crypto.randomUUID().slice(0, 8)}`;
const clinicBody = (extra: Record<string, unknown> = {}) => ({
  name: uniqueName(),
  timezone: 'Europe/Lisbon',
  country: 'PT',
  ...extra,
});
const admin = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
  app.request(method, path, { key: TOKEN, body, headers });

beforeAll(async () => {
  [off, app] = await Promise.all([startTestApp(), startTestApp({ adminToken: TOKEN })]);
});
afterAll(async () => {
  await Promise.all([off.close(), app.close()]);
});

describe('/admin/v1 without ADMIN_TOKEN', () => {
  it('does not exist: 404 in the envelope, with or without a token, and not in the document', async () => {
    for (const [method, path] of [
      ['POST', '/admin/v1/tenants'],
      ['GET', '/admin/v1/tenants'],
      ['GET', `/admin/v1/tenants/${crypto.randomUUID()}`],
    ] as const) {
      const reply = await off.request(method, path, {
        key: TOKEN,
        body: method === 'POST' ? clinicBody() : undefined,
      });
      expect(reply.status, `${method} ${path}`).toBe(404);
      expect(reply.body).toMatchObject({ error: 'not_found', requestId: expect.any(String), errors: [] });
    }
    const doc = (await off.request('GET', '/openapi.json')).body;
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/admin/'))).toEqual([]);
    expect(doc.components.securitySchemes.adminBearer).toBeUndefined();
  });
});

describe('/admin/v1 authentication', () => {
  it('401 without the token, with a wrong one, and with a clinic API key', async () => {
    const clinic = await app.createClinic();
    const cases: [string | null, string][] = [
      [null, 'malformed_auth_header'],
      [`${TOKEN}x`, 'invalid_api_key'],
      [TOKEN.slice(0, -1), 'invalid_api_key'],
      [clinic.key, 'invalid_api_key'],
    ];
    for (const [key, error] of cases) {
      const reply = await app.request('GET', '/admin/v1/tenants', { key });
      expect(reply.status, String(key)).toBe(401);
      expect(reply.body.error).toBe(error);
    }
    // An unknown admin path asks for the token first, so a caller without it learns no paths.
    expect((await app.request('GET', '/admin/v1/nothing-here')).status).toBe(401);
    expect((await app.request('GET', '/admin/v1/nothing-here', { key: TOKEN })).status).toBe(404);
  });

  it('throttles failures per address: over the budget even the right token waits (429)', async () => {
    const limited = await startTestApp({
      adminToken: TOKEN,
      rateLimits: { ...UNLIMITED, authFailuresPerMinute: 3 },
    });
    try {
      for (let i = 0; i < 3; i++) {
        expect((await limited.request('GET', '/admin/v1/tenants', { key: `wrong-${i}` })).status).toBe(401);
      }
      const refused = await limited.request('GET', '/admin/v1/tenants', { key: TOKEN });
      expect(refused.status).toBe(429);
      expect(refused.body.error).toBe('rate_limit_exceeded');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      limited.setNow(limited.now() + 61_000);
      expect((await limited.request('GET', '/admin/v1/tenants', { key: TOKEN })).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('POST /admin/v1/tenants', () => {
  it('creates a clinic whose key works on /v1 (a test key by default, the sandbox)', async () => {
    const body = clinicBody({ specialty: 'dental' });
    const reply = await admin('POST', '/admin/v1/tenants', body);
    expect(reply.status).toBe(201);
    expect(reply.headers.get('location')).toBe(`/admin/v1/tenants/${reply.body.tenant.id}`);
    expect(reply.body.tenant).toMatchObject({
      name: body.name,
      specialty: 'dental',
      status: 'trial',
      country: 'PT',
      livemode: true,
      config: { timezone: 'Europe/Lisbon' },
    });
    expect(reply.body.apiKey).toMatch(/^miv_test_[A-Za-z0-9_-]{43}$/);
    expect(reply.body.key).toMatchObject({ mode: 'test', scopes: ['*'], revokedAt: null });
    const me = await app.request('GET', '/v1/tenants/me', { key: reply.body.apiKey });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ name: body.name, livemode: false });
  });

  it('live: true gives a live key on the clinic itself', async () => {
    const reply = await admin('POST', '/admin/v1/tenants', clinicBody({ live: true, status: 'active' }));
    expect(reply.status).toBe(201);
    expect(reply.body.apiKey).toMatch(/^miv_live_/);
    const me = await app.request('GET', '/v1/tenants/me', { key: reply.body.apiKey });
    expect(me.body).toMatchObject({ id: reply.body.tenant.id, status: 'active', livemode: true });
  });

  it('422 in the envelope for bad input, and nothing is created', async () => {
    const before = await app.sql('SELECT count(*) AS n FROM tenants');
    for (const [body, path] of [
      [clinicBody({ timezone: 'Europe/Atlantis' }), 'timezone'],
      [clinicBody({ country: 'Portugal' }), 'country'],
      [clinicBody({ status: 'suspended' }), 'status'],
      [clinicBody({ plan: 'gold' }), 'json'],
      [{ timezone: 'Europe/Lisbon', country: 'PT' }, 'name'],
    ] as const) {
      const reply = await admin('POST', '/admin/v1/tenants', body);
      expect(reply.status, JSON.stringify(body)).toBe(422);
      expect(reply.body.error).toBe('validation_failed');
      expect(reply.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    expect((await admin('POST', '/admin/v1/tenants', 'not json')).status).toBe(400);
    expect(await app.sql('SELECT count(*) AS n FROM tenants')).toEqual(before);
  });

  it('one clinic per Idempotency-Key under 6 parallel requests; the secret is shown once', async () => {
    const body = clinicBody();
    const headers = { 'Idempotency-Key': `provision-${crypto.randomUUID()}` };
    const replies = await Promise.all(
      Array.from({ length: 6 }, () => admin('POST', '/admin/v1/tenants', body, headers)),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(6).fill(201));
    const rows = await app.sql('SELECT id, sandbox_of FROM tenants WHERE name = ?', body.name);
    expect(rows).toHaveLength(2); // the clinic and its sandbox
    const clinicId = rows.find((r) => r.sandbox_of === null)!.id;
    expect(new Set(replies.map((r) => r.body.tenant.id))).toEqual(new Set([clinicId]));
    const fresh = replies.filter((r) => r.headers.get('idempotent-replayed') !== 'true');
    expect(fresh).toHaveLength(1);
    expect(fresh[0]!.body.apiKey).toMatch(/^miv_test_/);
    const replayed = replies.filter((r) => r.headers.get('idempotent-replayed') === 'true');
    for (const r of replayed) {
      expect(r.body).toEqual({ ...fresh[0]!.body, apiKey: null });
      expect(r.text).toBe(replayed[0]!.text);
    }
    expect(
      await app.sql('SELECT count(*) AS n FROM api_keys WHERE tenant_id IN (?, ?)', rows[0]!.id, rows[1]!.id),
    ).toEqual([{ n: 1 }]);
    // The key is stored as a digest only: the recorded answer does not hold it either.
    const stored = await app.sql("SELECT response_body FROM idempotency_keys WHERE key LIKE 'admin %'");
    expect(JSON.stringify(stored)).not.toContain(fresh[0]!.body.apiKey);

    const other = await admin('POST', '/admin/v1/tenants', { ...body, name: uniqueName() }, headers);
    expect(other.status).toBe(422);
    expect(other.body.error).toBe('idempotency_key_reused');
  });

  it('gives two clinics of one name their own slugs', async () => {
    const body = clinicBody();
    const [a, b] = await Promise.all([
      admin('POST', '/admin/v1/tenants', body),
      admin('POST', '/admin/v1/tenants', body),
    ]);
    expect([a.status, b.status]).toEqual([201, 201]);
    const slugs = [a.body.tenant.publicSlug, b.body.tenant.publicSlug].sort();
    expect(slugs[1]).toBe(`${slugs[0]}-2`);
  });
});

describe('GET /admin/v1/tenants', () => {
  it('pages through every live clinic, oldest first, never a sandbox', async () => {
    for (let i = 0; i < 3; i++)
      expect((await admin('POST', '/admin/v1/tenants', clinicBody())).status).toBe(201);
    const all = await app.sql('SELECT id FROM tenants WHERE sandbox_of IS NULL ORDER BY created_at, id');
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await app.request('GET', '/admin/v1/tenants', { key: TOKEN, query: { limit: 2, cursor } });
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((t: { id: string }) => t.id));
      cursor = page.body.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(all.map((r) => r.id));
    const bad = await app.request('GET', '/admin/v1/tenants', { key: TOKEN, query: { cursor: 'nope' } });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].path).toBe('cursor');
  });

  it('GET one clinic; an unknown id or a sandbox id is 404', async () => {
    const made = (await admin('POST', '/admin/v1/tenants', clinicBody())).body;
    const got = await admin('GET', `/admin/v1/tenants/${made.tenant.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(made.tenant);
    for (const id of [crypto.randomUUID(), made.key.tenantId]) {
      const missing = await admin('GET', `/admin/v1/tenants/${id}`);
      expect(missing.status).toBe(404);
      expect(missing.body.error).toBe('tenant_not_provisioned');
    }
  });
});

describe('PATCH /admin/v1/tenants/:id', () => {
  it('suspends a clinic (canceled): /v1 refuses its live and test keys; active lets them in again', async () => {
    const made = (await admin('POST', '/admin/v1/tenants', clinicBody({ live: true }))).body;
    const test = (await admin('POST', `/admin/v1/tenants/${made.tenant.id}/api-keys`, { scopes: ['*'] }))
      .body;
    const suspended = await admin('PATCH', `/admin/v1/tenants/${made.tenant.id}`, { status: 'canceled' });
    expect(suspended.status).toBe(200);
    expect(suspended.body.status).toBe('canceled');
    for (const key of [made.apiKey, test.apiKey]) {
      const refused = await app.request('GET', '/v1/tenants/me', { key });
      expect(refused.status).toBe(403);
      expect(refused.body.error).toBe('tenant_inactive');
    }
    expect((await admin('PATCH', `/admin/v1/tenants/${made.tenant.id}`, { status: 'active' })).status).toBe(
      200,
    );
    expect((await app.request('GET', '/v1/tenants/me', { key: made.apiKey })).status).toBe(200);

    expect(
      (await admin('PATCH', `/admin/v1/tenants/${made.tenant.id}`, { status: 'suspended' })).status,
    ).toBe(422);
    expect(
      (await admin('PATCH', `/admin/v1/tenants/${crypto.randomUUID()}`, { status: 'active' })).status,
    ).toBe(404);
  });
});

describe('/admin/v1/tenants/:id/api-keys', () => {
  it('creates, lists (never the secret) and revokes keys; a revoked key is 401 on /v1', async () => {
    const made = (await admin('POST', '/admin/v1/tenants', clinicBody({ status: 'active' }))).body;
    const id = made.tenant.id;
    const live = await admin('POST', `/admin/v1/tenants/${id}/api-keys`, {
      scopes: ['appointments:read', 'tenant:read'],
      live: true,
      name: 'PMS',
      expiresInDays: 30,
    });
    expect(live.status).toBe(201);
    expect(live.body.apiKey).toMatch(/^miv_live_/);
    expect(live.body.key).toMatchObject({ mode: 'live', tenantId: id, name: 'PMS' });
    expect((await app.request('GET', '/v1/tenants/me', { key: live.body.apiKey })).body.id).toBe(id);

    const listed = await admin('GET', `/admin/v1/tenants/${id}/api-keys`);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((k: { id: string }) => k.id).sort()).toEqual(
      [made.key.id, live.body.key.id].sort(),
    );
    expect(listed.text).not.toContain(live.body.apiKey);
    expect(listed.text).not.toContain(made.apiKey);

    const revoked = await admin('DELETE', `/admin/v1/tenants/${id}/api-keys/${live.body.key.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    const refused = await app.request('GET', '/v1/tenants/me', { key: live.body.apiKey });
    expect(refused.status).toBe(401);
    expect(refused.body.error).toBe('invalid_api_key');
    // The sandbox's test key is the clinic's too.
    expect((await admin('DELETE', `/admin/v1/tenants/${id}/api-keys/${made.key.id}`)).status).toBe(200);
    expect((await app.request('GET', '/v1/tenants/me', { key: made.apiKey })).status).toBe(401);
  });

  it("another clinic's key, an unknown clinic and bad scopes are refused", async () => {
    const a = (await admin('POST', '/admin/v1/tenants', clinicBody())).body;
    const b = (await admin('POST', '/admin/v1/tenants', clinicBody())).body;
    const foreign = await admin('DELETE', `/admin/v1/tenants/${a.tenant.id}/api-keys/${b.key.id}`);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error).toBe('api_key_not_found');
    expect((await app.request('GET', '/v1/tenants/me', { key: b.apiKey })).status).toBe(200);
    const unknown = await admin('POST', `/admin/v1/tenants/${crypto.randomUUID()}/api-keys`, {
      scopes: ['*'],
    });
    expect(unknown.status).toBe(404);
    expect((await admin('GET', `/admin/v1/tenants/${crypto.randomUUID()}/api-keys`)).status).toBe(404);
    const bad = await admin('POST', `/admin/v1/tenants/${a.tenant.id}/api-keys`, { scopes: ['everything'] });
    expect(bad.status).toBe(422);
  });
});

describe('the OpenAPI document with ADMIN_TOKEN', () => {
  it('lists the admin operations under their own tag and the admin bearer scheme', async () => {
    const doc = (await app.request('GET', '/openapi.json')).body;
    expect(doc.components.securitySchemes.adminBearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const operations = Object.entries(doc.paths as Record<string, Record<string, any>>)
      .filter(([path]) => path.startsWith('/admin/v1/'))
      .flatMap(([path, item]) =>
        Object.entries(item).map(([method, op]) => ({ op: `${method} ${path}`, ...op })),
      );
    expect(operations.map((o) => o.op).sort()).toEqual(
      [
        'post /admin/v1/tenants',
        'get /admin/v1/tenants',
        'get /admin/v1/tenants/{id}',
        'patch /admin/v1/tenants/{id}',
        'post /admin/v1/tenants/{id}/api-keys',
        'get /admin/v1/tenants/{id}/api-keys',
        'delete /admin/v1/tenants/{id}/api-keys/{keyId}',
      ].sort(),
    );
    for (const o of operations) {
      expect(o.tags, o.op).toEqual(['Admin']);
      expect(o.security, o.op).toEqual([{ adminBearer: [] }]);
      expect(o.responses['401'].content['application/json'].schema.$ref).toBe('#/components/schemas/Error');
    }
    expect(doc.tags.map((t: { name: string }) => t.name)).toContain('Admin');
  });
});
