// The REST door's guards (CORS, the JSON body guard, API-key auth, per-key limits) are mounted on its
// /v1 routes, not on a path: the voice webhooks under /v1/voice/webhooks, health and the docs never
// meet them and answer as their own doors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import type { TestApp } from '../support/types.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const ORIGIN = { origin: 'https://pms.example.com' };

describe('the REST door', () => {
  it("answers a browser's preflight on its routes", async () => {
    const reply = await app.request('OPTIONS', '/v1/appointments', {
      key: null,
      headers: { ...ORIGIN, 'access-control-request-method': 'POST' },
    });
    expect(reply.status).toBe(204);
    expect(reply.headers.get('access-control-allow-origin')).toBe('*');
    expect(reply.headers.get('access-control-allow-headers')).toMatch(/Idempotency-Key/);
  });

  it('answers its routes with CORS and rate-limit headers, and asks for a key', async () => {
    const clinic = await app.createClinic();
    const ok = await app.request('GET', '/v1/tenants/me', { key: clinic.key, headers: ORIGIN });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe('*');
    expect(ok.headers.get('access-control-expose-headers')).toMatch(/X-RateLimit-Remaining/);
    expect(ok.headers.get('x-ratelimit-limit')).toMatch(/^\d+$/);
    const anonymous = await app.request('GET', '/v1/tenants/me', { key: null, headers: ORIGIN });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error).toBe('malformed_auth_header');
    // A browser reads the refusals too: the guard's and the handler's carry the same CORS headers.
    const invalid = await app.request('POST', '/v1/appointments', {
      key: clinic.key,
      headers: ORIGIN,
      body: {},
    });
    expect(invalid.status).toBe(422);
    for (const reply of [ok, anonymous, invalid]) {
      expect(reply.headers.get('access-control-allow-origin')).toBe('*');
      expect(reply.headers.get('access-control-expose-headers')).toBe(
        'Idempotent-Replayed,Location,Retry-After,X-Request-Id,X-RateLimit-Limit,X-RateLimit-Remaining,X-RateLimit-Reset',
      );
    }
  });

  it('leaves the voice webhooks to the voice door: no key, no JSON rule, no CORS, no per-key limit', async () => {
    const reply = await app.request('POST', `/v1/voice/webhooks/${crypto.randomUUID()}`, {
      key: null,
      headers: { ...ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'CallSid=CA1&CallStatus=completed',
    });
    // The voice door's own answer for an integration it does not know (not 401, not 415).
    expect(reply.status).toBe(404);
    expect(reply.body.error).toBe('not_found');
    expect(reply.headers.get('access-control-allow-origin')).toBeNull();
    expect(reply.headers.get('x-ratelimit-limit')).toBeNull();
  });

  it('leaves health and the docs to their per-address limit, without CORS', async () => {
    for (const path of ['/health', '/openapi.json']) {
      const reply = await app.request('GET', path, { key: null, headers: ORIGIN });
      expect(reply.status).toBe(200);
      expect(reply.headers.get('x-ratelimit-limit')).toMatch(/^\d+$/);
      expect(reply.headers.get('access-control-allow-origin')).toBeNull();
    }
  });
});
