// Failed authentication is throttled: after 20 failures in a minute from one IP (API keys) or against
// one voice integration (platform secrets), further attempts get 429 with Retry-After, without the
// credential being checked, until the minute has room again. Other clients and integrations go on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import { UNLIMITED } from '../support/http.js';
import type { TestApp } from '../support/types.js';
import { voiceClinic } from '../support/voice.js';

const SECRET = 'auth-throttle-vapi-secret-0123456789abcd';
const OTHER_SECRET = 'auth-throttle-other-secret-0123456789abc';
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ rateLimits: { ...UNLIMITED, authFailuresPerMinute: 20 } });
});
afterAll(() => app.close());

// Node sees the socket's address; Workers read CF-Connecting-IP.
const from = (ip: string) => ({ 'cf-connecting-ip': ip });
/**
 * A wrong key naming the clinic of `key` (its first 16 characters). With one Durable Object per
 * clinic, failures are counted in the object the key names, so an address is throttled per clinic.
 */
const wrongKeyOf = (key: string) => `${key.slice(0, 'miv_live_'.length + 16)}${'x'.repeat(27)}`;

describe('wrong API keys from one address', () => {
  it('are 401 twenty times, then 429 with Retry-After, even for a right key, until the minute passes', async () => {
    const clinic = await app.createClinic();
    const wrongKey = wrongKeyOf(clinic.key);
    for (let i = 0; i < 20; i++) {
      const reply = await app.request('GET', '/v1/tenants/me', {
        key: wrongKey,
        headers: from('203.0.113.7'),
      });
      expect(reply.status, `attempt ${i + 1}`).toBe(401);
    }
    const refused = await app.request('GET', '/v1/tenants/me', {
      key: wrongKey,
      headers: from('203.0.113.7'),
    });
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({
      error: 'rate_limit_exceeded',
      requestId: expect.any(String),
      errors: [],
    });
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // A guess that happens to be right is not even checked while the address is throttled.
    const right = await app.request('GET', '/v1/tenants/me', {
      key: clinic.key,
      headers: from('203.0.113.7'),
    });
    expect(right.status).toBe(429);

    app.setNow(app.now() + 61_000);
    const later = await app.request('GET', '/v1/tenants/me', {
      key: clinic.key,
      headers: from('203.0.113.7'),
    });
    expect(later.status, later.text).toBe(200);
  });

  it('successes cost nothing: many right keys are never throttled by this rule', async () => {
    const clinic = await app.createClinic();
    for (let i = 0; i < 30; i++) {
      const reply = await app.request('GET', '/v1/tenants/me', {
        key: clinic.key,
        headers: from('203.0.113.8'),
      });
      expect(reply.status).toBe(200);
    }
  });
});

describe('wrong secrets against one voice integration', () => {
  it('are 401 twenty times, then 429 with Retry-After; another integration is unaffected', async () => {
    const v = await voiceClinic(app, 'vapi', { secret: SECRET });
    const other = await voiceClinic(app, 'vapi', { secret: OTHER_SECRET });
    const body = { message: { type: 'status-update', status: 'in-progress', call: { id: 'throttle' } } };
    for (let i = 0; i < 20; i++) {
      const reply = await app.request('POST', v.path, { body, headers: { 'x-vapi-secret': `wrong-${i}` } });
      expect(reply.status, `attempt ${i + 1}`).toBe(401);
    }
    const refused = await app.request('POST', v.path, { body, headers: { 'x-vapi-secret': SECRET } });
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ error: 'rate_limit_exceeded' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const fine = await app.request('POST', other.path, { body, headers: { 'x-vapi-secret': OTHER_SECRET } });
    expect(fine.status, fine.text).toBe(200);
  });
});

describe('secrets the clinic chooses', () => {
  it.each([
    ['vapi', 'secret'],
    ['vapi', 'hmacSecret'],
    ['elevenlabs', 'toolSecret'],
  ])('%s %s must have at least 32 characters', async (platform, field) => {
    const clinic = await app.createClinic();
    const create = (value: string) =>
      app.request('POST', '/v1/voice/integrations', {
        key: clinic.key,
        headers: from('203.0.113.9'),
        body: { platform, credentials: { [field]: value } },
      });
    const short = await create('s'.repeat(31));
    expect(short.status, short.text).toBe(422);
    expect(short.text).toContain(field);
    expect((await create('s'.repeat(32))).status).toBe(201);
  });
});
