// /v1/api-keys: a clinic makes its own test keys (never live ones), with no more scopes than the key
// that makes them, lists and revokes them; the key is shown once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import type { TestApp } from '../support/types.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

describe('/v1/api-keys', () => {
  it('creates a test key for the clinic’s sandbox, shown once, listed and revocable', async () => {
    const clinic = await app.createClinic();
    const created = await app.request('POST', '/v1/api-keys', {
      key: clinic.key,
      body: { scopes: ['appointments:read', 'appointments:write'], name: 'staging PMS', expiresInDays: 30 },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body.apiKey).toMatch(/^miv_test_[A-Za-z0-9_-]{43}$/);
    expect(created.body.key).toMatchObject({
      mode: 'test',
      name: 'staging PMS',
      scopes: ['appointments:read', 'appointments:write'],
      revokedAt: null,
    });
    const sandbox = created.body.key.tenantId;
    expect(sandbox).not.toBe(clinic.tenantId);
    expect(Date.parse(created.body.key.expiresAt) - Date.parse(created.body.key.createdAt)).toBe(
      30 * 86_400_000,
    );

    const works = await app.request('GET', '/v1/appointments', { key: created.body.apiKey });
    expect(works.status).toBe(200);

    const list = await app.request('GET', '/v1/api-keys', { key: clinic.key });
    expect(list.body.items.map((k: { id: string }) => k.id)).toEqual([created.body.key.id]);
    expect(list.text).not.toContain(created.body.apiKey);

    // A test key makes more test keys in the same sandbox.
    const fromTest = await app.createKey(clinic.tenantId, ['api_keys:write', 'tenant:read'], {
      mode: 'test',
    });
    const second = await app.request('POST', '/v1/api-keys', {
      key: fromTest.key,
      body: { scopes: ['tenant:read'] },
    });
    expect(second.status, second.text).toBe(201);
    expect(second.body.key.tenantId).toBe(sandbox);

    const revoked = await app.request('DELETE', `/v1/api-keys/${created.body.key.id}`, { key: clinic.key });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    expect((await app.request('GET', '/v1/appointments', { key: created.body.apiKey })).status).toBe(401);
  });

  it('never grants a scope the calling key does not hold, nor a live key', async () => {
    const clinic = await app.createClinic();
    const limited = await app.createKey(clinic.tenantId, ['api_keys:write', 'appointments:read']);
    for (const body of [
      { scopes: ['appointments:write'] },
      { scopes: ['*'] },
      { scopes: ['appointments:read'], mode: 'live' },
      { scopes: [] },
      { scopes: ['appointments:rule'] },
    ]) {
      const reply = await app.request('POST', '/v1/api-keys', { key: limited.key, body });
      expect(reply.status, JSON.stringify(body)).toBe(422);
      expect(reply.body.error).toBe('validation_failed');
    }
    // `*` does not hold the patient-rights scopes, so it cannot hand them out either.
    const star = await app.createKey(clinic.tenantId, ['*']);
    const erase = await app.request('POST', '/v1/api-keys', {
      key: star.key,
      body: { scopes: ['patients:erase'] },
    });
    expect(erase.status).toBe(422);
    const plain = await app.createKey(clinic.tenantId, ['appointments:read']);
    const denied = await app.request('POST', '/v1/api-keys', {
      key: plain.key,
      body: { scopes: ['appointments:read'] },
    });
    expect(denied.status).toBe(403);
    expect(denied.body.error).toBe('insufficient_scope');
  });

  it('revokes only the clinic’s test keys: a live key or another clinic’s is not found', async () => {
    const a = await app.createClinic();
    const b = await app.createClinic();
    const bTest = await app.createKey(b.tenantId, ['tenant:read'], { mode: 'test' });
    for (const id of [a.keyId, bTest.keyId]) {
      const reply = await app.request('DELETE', `/v1/api-keys/${id}`, { key: a.key });
      expect(reply.status, id).toBe(404);
      expect(reply.body.error).toBe('api_key_not_found');
    }
    expect((await app.request('GET', '/v1/tenants/me', { key: bTest.key })).status).toBe(200);
    expect((await app.request('GET', '/v1/api-keys', { key: a.key })).body.items).toEqual([]);
  });
});
