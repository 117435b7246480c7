// The Durable Object behind the Workers rate limits: its log must outlive an eviction (idle objects
// are evicted within seconds, windows last a minute), and its alarm may only delete an idle log.
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';

const rules = [{ name: 'minute', limit: 2, windowMs: 60_000 }];
const start = Date.parse('2026-03-02T09:00:00Z');

describe('RateLimiterObject', () => {
  it('keeps its count across an eviction', async () => {
    const stub = env.RATE_LIMITER.getByName('evicted');
    expect((await stub.consume(rules, start)).allowed).toBe(true);
    expect((await stub.consume(rules, start + 1000)).allowed).toBe(true);
    await evictDurableObject(stub);
    const refused = await stub.consume(rules, start + 2000);
    expect(refused).toMatchObject({ allowed: false, remaining: 0, retryAfterMs: 58_000 });
    expect((await stub.consume(rules, start + 60_000)).allowed).toBe(true);
  });

  it('its alarm leaves a live log alone and deletes an idle one', async () => {
    const stub = env.RATE_LIMITER.getByName('alarmed');
    await stub.consume(rules, start);
    await stub.consume(rules, start);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect((await stub.consume(rules, start + 1000)).allowed).toBe(false);

    // Age the stored log past its window (a fresh instance reads it from storage), then let the alarm run.
    await evictDurableObject(stub);
    await runInDurableObject(stub, (_, state) => {
      state.storage.kv.put('log', { ...state.storage.kv.get<object>('log'), forgetAt: 0 });
    });
    await evictDurableObject(stub);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await runInDurableObject(stub, (_, state) => state.storage.kv.get('log'))).toBeUndefined();
  });
});
