import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import type { TestApp } from '../support/types.js';

let app: TestApp;
beforeAll(async () => {
  // Mivicall's limits, as in production.
  app = await startTestApp({
    rateLimits: { perKeyPerMinute: 300, perKeyPerSecond: 30, perIpPerMinute: 100 },
  });
});
afterAll(() => app.close());

const at = (ms: number) => app.setNow(ms);

describe('rate limits', () => {
  it('sends X-RateLimit-* headers on every answer, errors included', async () => {
    const clinic = await app.createClinic();
    for (const [path, status] of [
      ['/v1/tenants/me', 200],
      ['/v1/appointments/nope', 404],
    ] as const) {
      const reply = await app.request('GET', path, { key: clinic.key });
      expect(reply.status).toBe(status);
      // The primary window is the minute, as Mivicall documents (X-RateLimit-Limit: 300).
      expect(reply.headers.get('x-ratelimit-limit')).toBe('300');
      expect(reply.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);
      expect(Number(reply.headers.get('x-ratelimit-reset'))).toBeGreaterThanOrEqual(
        Math.floor(app.now() / 1000),
      );
    }
  });

  it('allows a burst of 30 per second per key, then 429 with Retry-After and retryAfter', async () => {
    const clinic = await app.createClinic();
    const start = Date.parse('2026-03-02T10:00:00Z');
    at(start);
    const replies = await Promise.all(
      Array.from({ length: 31 }, () => app.request('GET', '/v1/tenants/me', { key: clinic.key })),
    );
    expect(replies.filter((r) => r.status === 200)).toHaveLength(30);
    const refused = replies.find((r) => r.status === 429)!;
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.body).toMatchObject({
      error: 'rate_limit_exceeded',
      retryAfter: 1,
      requestId: expect.any(String),
    });
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
    at(start + 1000);
    expect((await app.request('GET', '/v1/tenants/me', { key: clinic.key })).status).toBe(200);
  });

  it('allows 300 per sliding minute per key; the window slides, it does not reset', async () => {
    const clinic = await app.createClinic();
    const start = Date.parse('2026-03-02T11:00:00Z');
    // 30 requests at each of 10 seconds: 300 in the first 10 s of the minute.
    for (let s = 0; s < 10; s++) {
      at(start + s * 1000);
      const replies = await Promise.all(
        Array.from({ length: 30 }, () => app.request('GET', '/v1/tenants/me', { key: clinic.key })),
      );
      expect(replies.every((r) => r.status === 200)).toBe(true);
    }
    at(start + 30_000);
    const refused = await app.request('GET', '/v1/tenants/me', { key: clinic.key });
    expect(refused.status).toBe(429);
    expect(refused.body.retryAfter).toBe(30);
    expect(refused.headers.get('x-ratelimit-limit')).toBe('300');
    at(start + 60_000);
    // Only the first second's 30 requests have left the window.
    const after = await Promise.all(
      Array.from({ length: 30 }, () => app.request('GET', '/v1/tenants/me', { key: clinic.key })),
    );
    expect(after.every((r) => r.status === 200)).toBe(true);
    expect((await app.request('GET', '/v1/tenants/me', { key: clinic.key })).status).toBe(429);
  });

  it('counts each key separately', async () => {
    const clinic = await app.createClinic();
    const other = await app.createKey(clinic.tenantId, ['*']);
    at(Date.parse('2026-03-02T12:00:00Z'));
    await Promise.all(
      Array.from({ length: 30 }, () => app.request('GET', '/v1/tenants/me', { key: clinic.key })),
    );
    expect((await app.request('GET', '/v1/tenants/me', { key: clinic.key })).status).toBe(429);
    expect((await app.request('GET', '/v1/tenants/me', { key: other.key })).status).toBe(200);
  });

  it('limits public routes to 100 per minute per IP', async () => {
    at(Date.parse('2026-03-02T13:00:00Z'));
    const replies = await Promise.all(Array.from({ length: 101 }, () => app.request('GET', '/health')));
    expect(replies.filter((r) => r.status === 200)).toHaveLength(100);
    const refused = replies.find((r) => r.status === 429)!;
    expect(refused.body.error).toBe('rate_limit_exceeded');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
