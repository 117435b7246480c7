// The Worker entry itself (src/worker.ts), which the shared suite bypasses to control the clock:
// env validation, the per-IP limit keyed on cf-connecting-ip, and the cron handler.
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { randomBytes, toBase64Url } from '../../src/security/encoding.js';
import worker from '../../src/worker.js';

const secrets = () => ({
  PHONE_HASH_KEY: toBase64Url(randomBytes(32)),
  PHONE_ENCRYPTION_KEY: toBase64Url(randomBytes(32)),
});

// The entry logs JSON lines to the console (Workers Logs); the tests read them instead of printing.
let logs: Record<string, unknown>[] = [];
beforeEach(() => {
  logs = [];
  vi.spyOn(console, 'log').mockImplementation((line: string) => void logs.push(JSON.parse(line)));
});
afterEach(() => vi.restoreAllMocks());

async function call(workerEnv: Record<string, unknown>, path: string, headers: Record<string, string> = {}) {
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(`http://agendai.test${path}`, { headers }), workerEnv, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

describe('Worker entry', () => {
  it('serves the app with the bindings of wrangler.toml and the secrets', async () => {
    const response = await call({ ...env, ...secrets() }, '/health');
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(logs).toEqual([expect.objectContaining({ event: 'request', route: '/health', status: 200 })]);
  });

  it.each([
    ['a missing secret', { PHONE_HASH_KEY: undefined }],
    ['a secret that is not 32 bytes', { PHONE_ENCRYPTION_KEY: 'c2hvcnQ=' }],
    ['a missing D1 binding', { DB: undefined }],
    ['a limit that is not a number', { RATE_LIMIT_PER_IP_PER_MINUTE: 'many' }],
    ['an ADMIN_TOKEN under 32 characters', { ADMIN_TOKEN: 'short-admin-token' }],
  ])('answers 500 internal_error for %s, and logs which variable is wrong', async (_, change) => {
    const response = await call({ ...env, ...secrets(), ...change }, '/health');
    expect(response.status).toBe(500);
    const body = (await response.json()) as Record<string, unknown>;
    const requestId = response.headers.get('x-request-id');
    expect(body).toEqual({
      error: 'internal_error',
      message: 'The service is not configured',
      requestId,
      errors: [],
    });
    const variable = Object.keys(change)[0]!;
    expect(logs).toEqual([
      expect.objectContaining({
        level: 'error',
        event: 'start_failed',
        requestId,
        error: expect.stringContaining(variable),
      }),
    ]);
    // The value of a secret never reaches the log.
    const value = Object.values(change)[0];
    if (value) expect(JSON.stringify(logs)).not.toContain(value);
  });

  it('limits public routes per cf-connecting-ip, with limits from the env', async () => {
    const limited = { ...env, ...secrets(), RATE_LIMIT_PER_IP_PER_MINUTE: '2' };
    const first = { 'cf-connecting-ip': '203.0.113.7' };
    expect((await call(limited, '/health', first)).status).toBe(200);
    expect((await call(limited, '/health', first)).status).toBe(200);
    expect((await call(limited, '/health', first)).status).toBe(429);
    expect((await call(limited, '/health', { 'cf-connecting-ip': '203.0.113.8' })).status).toBe(200);
  });

  it('runs the timed jobs from scheduled(): idempotency keys past retention are purged', async () => {
    const old = Date.now() - 25 * 3600_000;
    await env.DB.prepare(
      `INSERT INTO idempotency_keys (tenant_id, key, fingerprint, claim, created_at)
       VALUES ('tenant-x', 'old', 'f', 'c', ?), ('tenant-x', 'fresh', 'f', 'c', ?)`,
    )
      .bind(old, Date.now())
      .run();
    await worker.scheduled(createScheduledController({ cron: '*/5 * * * *' }), { ...env, ...secrets() });
    const { results } = await env.DB.prepare(
      "SELECT key FROM idempotency_keys WHERE tenant_id = 'tenant-x' ORDER BY key",
    ).all();
    expect(results).toEqual([{ key: 'fresh' }]);
    expect(logs).toEqual([expect.objectContaining({ event: 'scheduled', idempotencyKeysPurged: 1 })]);
  });
});
