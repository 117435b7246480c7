// The Voki door's security matrix, per route: no key, malformed, unknown, revoked and expired keys,
// every other scope, a suspended clinic, X-Tenant naming another clinic, another clinic's id; then the
// patients' phones (masked unless appointments:read_phone, and audited when shown), and bad input,
// which is a Voki-style 422 and never a 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import { SCOPES } from '../../src/accounts/scopes.js';
import type { TestApp } from '../support/types.js';
import { createVoki, voki, vokiBody, vokiClinic } from '../support/voki.js';
import {
  createVokiResources,
  describeVokiRoute,
  VOKI_ROUTES,
  type VokiResources,
  type VokiRoute,
} from '../support/voki-routes.js';

let app: TestApp;
let mine: VokiResources;
let theirs: VokiResources;
let expiredKey: string;
let revokedKey: string;

beforeAll(async () => {
  app = await startTestApp();
  mine = await createVokiResources(app);
  theirs = await createVokiResources(app);
  expiredKey = (await app.createKey(mine.v.clinic.tenantId, ['*'], { expiresInDays: 1 })).key;
  const revoked = await app.createKey(mine.v.clinic.tenantId, ['*']);
  await app.revokeKey(revoked.keyId);
  revokedKey = revoked.key;
});
afterAll(() => app.close());

async function call(
  route: VokiRoute,
  r: VokiResources,
  opts: { key?: string | null; headers?: Record<string, string> } = {},
) {
  const before = app.now();
  if (route.at !== undefined) app.setNow(route.at);
  try {
    return await app.request(route.method, route.path(r), {
      key: opts.key === undefined ? r.v.clinic.key : opts.key,
      headers: opts.headers,
      body: route.body?.(r),
    });
  } finally {
    app.setNow(before);
  }
}

/** Voki's error words: `{"errors": {"detail": "…"}}`, nothing else. */
const expectDetail = (body: any) => {
  expect(Object.keys(body)).toEqual(['errors']);
  expect(Object.keys(body.errors)).toEqual(['detail']);
  expect(typeof body.errors.detail).toBe('string');
};

describe.each(VOKI_ROUTES.map((route) => [describeVokiRoute(route), route] as const))(
  '%s',
  (_name, route) => {
    it('401 without a key, with a malformed, unknown, revoked or expired one', async () => {
      const malformed: Record<string, string>[] = [
        {},
        { authorization: 'Basic abc' },
        { authorization: 'Bearer' },
      ];
      for (const headers of malformed) {
        const reply = await call(route, mine, { key: null, headers });
        expect(reply.status).toBe(401);
        expectDetail(reply.body);
        expect(reply.headers.get('x-request-id')).toBeTruthy();
      }
      for (const key of [`miv_live_${'A'.repeat(43)}`, 'sk_live_something', revokedKey]) {
        const reply = await call(route, mine, { key });
        expect(reply.status).toBe(401);
        expectDetail(reply.body);
      }
      const now = app.now();
      app.setNow(now + 2 * 86_400_000);
      try {
        const reply = await call({ ...route, at: undefined }, mine, { key: expiredKey });
        expect(reply.status).toBe(401);
      } finally {
        app.setNow(now);
      }
    });

    it('403 with every other scope, and for a suspended clinic', async () => {
      const { key } = await app.createKey(
        mine.v.clinic.tenantId,
        SCOPES.filter((s) => s !== route.scope),
      );
      const reply = await call(route, mine, { key });
      expect(reply.status).toBe(403);
      expectDetail(reply.body);
      expect(reply.body.errors.detail).toContain(route.scope);
      const suspended = await createVokiResources(app);
      await app.setTenantStatus(suspended.v.clinic.tenantId, 'canceled');
      const locked = await call(route, suspended);
      expect(locked.status).toBe(403);
      expectDetail(locked.body);
    });

    it('X-Tenant: absent, the slug or the id pass; another clinic or anything else is 403', async () => {
      for (const tenant of [theirs.v.slug, theirs.v.clinic.tenantId, 'avanter', '']) {
        const reply = await call(route, mine, { headers: { 'x-tenant': tenant } });
        expect(reply.status, tenant).toBe(403);
        expectDetail(reply.body);
      }
      for (const named of ['none', 'slug', 'id'] as const) {
        const fresh = await createVokiResources(app);
        const headers: Record<string, string> =
          named === 'none' ? {} : { 'x-tenant': named === 'slug' ? fresh.v.slug : fresh.v.clinic.tenantId };
        const reply = await call(route, fresh, { headers });
        expect(reply.status, named).toBeLessThan(300);
      }
    });

    it('succeeds with exactly its scope', async () => {
      const fresh = await createVokiResources(app);
      const { key } = await app.createKey(fresh.v.clinic.tenantId, [route.scope as never]);
      const reply = await call(route, fresh, { key, headers: { 'x-tenant': fresh.v.slug } });
      expect(reply.status).toBeLessThan(300);
      expect(Object.keys(reply.body)).toContain('data');
    });

    if (route.owned) {
      it("404 Not Found for another clinic's appointment, which stays untouched", async () => {
        const before = await app.request('GET', `/api/v1/appointments/${theirs.appointmentId}`, {
          key: theirs.v.clinic.key,
        });
        const reply = await call(route, theirs, { key: mine.v.clinic.key });
        expect(reply.status).toBe(404);
        expect(reply.body).toEqual({ errors: { detail: 'Not Found' } });
        const after = await app.request('GET', `/api/v1/appointments/${theirs.appointmentId}`, {
          key: theirs.v.clinic.key,
        });
        expect(after.text).toBe(before.text);
      });
    }
  },
);

describe('around the routes', () => {
  it('an unknown path under /api/v1: 401 without a key, Voki 404 with one', async () => {
    const anonymous = await app.request('GET', '/api/v1/nothing-here', { key: null });
    expect(anonymous.status).toBe(401);
    expectDetail(anonymous.body);
    const keyed = await app.request('GET', '/api/v1/nothing-here', { key: mine.v.clinic.key });
    expect(keyed.status).toBe(404);
    expect(keyed.body).toEqual({ errors: { detail: 'Not Found' } });
  });

  it("answers the browser's preflight allowing X-Tenant and Idempotency-Key", async () => {
    const reply = await app.request('OPTIONS', '/api/v1/appointments', {
      key: null,
      headers: {
        origin: 'https://pms.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'x-tenant, idempotency-key',
      },
    });
    expect(reply.status).toBeLessThan(300);
    expect(reply.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-tenant');
  });

  it("another clinic's department, agent or customer named in a body is a field error, not a leak", async () => {
    const reply = await voki(app, mine.v, 'POST', '', {
      body: vokiBody(mine.v, '2026-08-01T10:00:00Z', { department_id: theirs.v.department.id }),
    });
    expect(reply).toMatchObject({ status: 422, body: { errors: { department_id: ['does not exist'] } } });
    const agent = await voki(app, mine.v, 'POST', '', {
      body: vokiBody(mine.v, '2026-08-01T10:00:00Z', { user_id: theirs.v.user.id }),
    });
    expect(agent).toMatchObject({ status: 422, body: { errors: { user_id: ['does not exist'] } } });
    const theirList = await voki(app, theirs.v, 'GET', '');
    const customer = await voki(app, mine.v, 'POST', '', {
      body: {
        appointment: {
          title: 'x',
          scheduled_at: '2026-08-01T10:00:00Z',
          department_id: mine.v.department.id,
          customer_id: theirList.body.data[0].customer_id,
        },
      },
    });
    expect(customer).toMatchObject({ status: 422, body: { errors: { customer_id: ['does not exist'] } } });
  });
});

describe("patients' phone numbers", () => {
  it('masked by default; in full, and audited, only with appointments:read_phone', async () => {
    const v = await vokiClinic(app);
    const a = await createVoki(app, v, '2026-08-02T10:00:00Z', { customer_phone: '+5511955554444' });
    expect(a.customer_phone).not.toContain('55554444');
    const listed = await voki(app, v, 'GET', '');
    expect(listed.text).not.toContain('55554444');

    const reader = await app.createKey(v.clinic.tenantId, ['appointments:read', 'appointments:read_phone']);
    const wildcard = await app.createKey(v.clinic.tenantId, ['*']);
    const withStar = await voki(app, v, 'GET', `/${a.id}`, { key: wildcard.key });
    expect(withStar.body.data.customer_phone).not.toContain('55554444');
    const audited = () =>
      app.sql(
        "SELECT actor, subject FROM audit_events WHERE tenant_id = ? AND action = 'patient.read'",
        v.clinic.tenantId,
      );
    expect(await audited()).toEqual([]);

    const shown = await voki(app, v, 'GET', `/${a.id}`, { key: reader.key });
    expect(shown.body.data.customer_phone).toBe('+5511955554444');
    const rows = await audited();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.actor).toBe(`key:${reader.keyId}`);
    expect(String(rows[0]!.subject)).toMatch(/^patient:v\d+:/);
    const page = await voki(app, v, 'GET', '', { key: reader.key });
    expect(page.body.data[0].customer_phone).toBe('+5511955554444');
    expect(await audited()).toHaveLength(2);
  });

  it('a create by a phone-reading key answers the number in full, but keeps it with the Idempotency-Key only masked', async () => {
    const v = await vokiClinic(app);
    const reader = await app.createKey(v.clinic.tenantId, [
      'appointments:read',
      'appointments:write',
      'appointments:read_phone',
    ]);
    const send = () =>
      voki(app, v, 'POST', '', {
        key: reader.key,
        body: vokiBody(v, '2026-08-03T10:00:00Z', { customer_phone: '+5511977776666' }),
        headers: { 'idempotency-key': 'voki-phone-kept-masked' },
      });
    const first = await send();
    expect(first.status, first.text).toBe(201);
    expect(first.body.data.customer_phone).toBe('+5511977776666');
    const replay = await send();
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.text).toBe(first.text);
    const kept = await app.sql(
      'SELECT response_body FROM idempotency_keys WHERE tenant_id = ?',
      v.clinic.tenantId,
    );
    expect(kept.length).toBeGreaterThan(0);
    for (const row of kept) expect(String(row.response_body)).not.toContain('77776666');
  });
});

describe('bad input: Ecto-style 422, never a 500', () => {
  const CASES: [string, unknown, string][] = [
    ['no wrapper', { title: 'x' }, 'appointment'],
    ['no title', { appointment: { scheduled_at: '2026-08-01T10:00:00Z' } }, 'title'],
    [
      'a date without a time zone',
      { appointment: { title: 'x', scheduled_at: '2026-08-01 10:00' } },
      'scheduled_at',
    ],
    ['a number as a date', { appointment: { title: 'x', scheduled_at: 12 } }, 'scheduled_at'],
    ['a zero duration', { appointment: { title: 'x', duration_minutes: 0 } }, 'duration_minutes'],
    ['a 13-hour duration', { appointment: { title: 'x', duration_minutes: 780 } }, 'duration_minutes'],
    ['a bad email', { appointment: { title: 'x', customer_email: 'not-an-email' } }, 'customer_email'],
    ['a control character', { appointment: { title: 'a\u0000b' } }, 'title'],
    ['an array body', [], 'base'],
  ];

  it.each(CASES)('POST with %s → 422 naming %s', async (_label, body, field) => {
    const v = mine.v;
    const reply = await voki(app, v, 'POST', '', { body });
    expect(reply.status).toBe(422);
    expect(Object.keys(reply.body)).toEqual(['errors']);
    expect(reply.body.errors[field], reply.text).toEqual([expect.any(String)]);
  });

  it('refusals of the core name their field: a past time, a missing phone, an impossible number', async () => {
    const v = mine.v;
    const past = await voki(app, v, 'POST', '', { body: vokiBody(v, '2026-01-01T10:00:00Z') });
    expect(past.status).toBe(422);
    expect(past.body.errors.scheduled_at).toHaveLength(1);
    const noPhone = await voki(app, v, 'POST', '', {
      body: vokiBody(v, '2026-08-01T10:00:00Z', { customer_phone: undefined }),
    });
    expect(noPhone.body).toEqual({ errors: { customer_phone: ["can't be blank"] } });
    const badPhone = await voki(app, v, 'POST', '', {
      body: vokiBody(v, '2026-08-01T10:00:00Z', { customer_phone: '+999' }),
    });
    expect(badPhone.status).toBe(422);
    expect(badPhone.body.errors.customer_phone).toHaveLength(1);
  });

  it('bad query parameters and bodies elsewhere', async () => {
    const v = mine.v;
    for (const query of [
      { page: 0 },
      { page: 'x' },
      { page_size: 1000 },
      { sort_by: 'password' },
      { sort_order: 'sideways' },
      { status: 'rescheduled' },
      { date_from: 'yesterday' },
    ]) {
      const reply = await voki(app, v, 'GET', '', { query });
      expect(reply.status, JSON.stringify(query)).toBe(422);
      expect(Object.keys(reply.body.errors)).toEqual(Object.keys(query));
    }
    const conflicts = await voki(app, v, 'GET', '/conflicts', { query: { user_id: v.user.id } });
    expect(conflicts.body).toEqual({ errors: { scheduled_at: ["can't be blank"] } });
    const put = await voki(app, v, 'PUT', `/${mine.appointmentId}`, {
      body: { appointment: { scheduled_at: 'soon' } },
    });
    expect(put.status).toBe(422);
    const cancel = await voki(app, v, 'POST', `/${mine.appointmentId}/cancel`, { body: { reason: 42 } });
    expect(cancel.status).toBe(422);
    expect(cancel.body.errors.reason).toHaveLength(1);
    const notJson = await app.request('POST', '/api/v1/appointments', {
      key: v.clinic.key,
      headers: { 'content-type': 'application/json' },
      body: '{"appointment":',
    });
    expect(notJson.status).toBe(400);
    expectDetail(notJson.body);
    const badKey = await voki(app, v, 'POST', '', {
      headers: { 'idempotency-key': 'has space' },
      body: vokiBody(v, '2026-08-01T10:00:00Z'),
    });
    expect(badKey.status).toBe(400);
    expectDetail(badKey.body);
  });
});
