// The Worker entry itself (src/worker.ts), which the shared suite bypasses to control the clock: env
// validation, and the lobby's object behind it with the per-IP limit keyed on cf-connecting-ip.
// vitest.config.ts gives the objects development secrets, as `wrangler secret put` does.
import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { randomBytes, toBase64Url } from '../../src/security/encoding.js';
import type { ClinicObject } from '../../src/worker/clinic-object.js';
import { callerOf, LOBBY_COUNT, lobbyNameOf } from '../../src/worker/router.js';
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
  return worker.fetch(new Request(`http://agendai.test${path}`, { headers }), workerEnv);
}

describe('Worker entry', () => {
  it("serves the app, from the lobby's object, with the bindings of wrangler.toml and the secrets", async () => {
    const response = await call({ ...env, ...secrets() }, '/health');
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(logs).toEqual([expect.objectContaining({ event: 'request', route: '/health', status: 200 })]);
  });

  it.each([
    ['a missing secret', { PHONE_HASH_KEY: undefined }],
    ['a secret that is not 32 bytes', { PHONE_ENCRYPTION_KEY: 'c2hvcnQ=' }],
    ['a missing clinics binding', { CLINICS: undefined }],
    ['a missing directory binding', { DIRECTORY: undefined }],
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
    // The objects read the same env as the Worker ([vars]); here only this address's lobby gets the limit.
    const first = { 'cf-connecting-ip': '203.0.113.7' };
    const all = { ...env, ...secrets() };
    const lobby = env.CLINICS.getByName(
      await lobbyNameOf(
        callerOf(new Request('http://agendai.test/', { headers: first })),
        all.PHONE_HASH_KEY,
      ),
    );
    const options = { env: { RATE_LIMIT_PER_IP_PER_MINUTE: '2' }, rateLimitScope: crypto.randomUUID() };
    await runInDurableObject(lobby, (o: ClinicObject) => o.configure(options));
    try {
      expect((await call(all, '/health', first)).status).toBe(200);
      expect((await call(all, '/health', first)).status).toBe(200);
      expect((await call(all, '/health', first)).status).toBe(429);
      expect((await call(all, '/health', { 'cf-connecting-ip': '203.0.113.8' })).status).toBe(200);
    } finally {
      await runInDurableObject(lobby, (o: ClinicObject) => o.configure({}));
    }
  });

  it('counts an IPv6 address by its /64: rotating through one network shares one limit', async () => {
    const inNetwork = (n: number) => ({ 'cf-connecting-ip': `2001:db8:5:6::${n}` });
    const all = { ...env, ...secrets() };
    const lobby = env.CLINICS.getByName(
      await lobbyNameOf(
        callerOf(new Request('http://agendai.test/', { headers: inNetwork(1) })),
        all.PHONE_HASH_KEY,
      ),
    );
    const options = { env: { RATE_LIMIT_PER_IP_PER_MINUTE: '2' }, rateLimitScope: crypto.randomUUID() };
    await runInDurableObject(lobby, (o: ClinicObject) => o.configure(options));
    try {
      expect((await call(all, '/health', inNetwork(1))).status).toBe(200);
      expect((await call(all, '/health', inNetwork(2))).status).toBe(200);
      expect((await call(all, '/health', inNetwork(3))).status).toBe(429);
    } finally {
      await runInDurableObject(lobby, (o: ClinicObject) => o.configure({}));
    }
  });

  it('spreads the requests naming no clinic over the lobbies by address, an address always to the same one', async () => {
    const secret = secrets().PHONE_HASH_KEY;
    const lobbyOf = (ip: string, key = secret) =>
      lobbyNameOf(
        callerOf(new Request('http://agendai.test/health', { headers: { 'cf-connecting-ip': ip } })),
        key,
      );
    const counts = new Map<string, number>();
    const ips = Array.from({ length: 4096 }, (_, i) => `198.51.${i >> 8}.${i & 255}`);
    const lobbies = await Promise.all(ips.map((ip) => lobbyOf(ip)));
    for (const [i, ip] of ips.entries()) {
      if (i % 64 === 0) expect(await lobbyOf(ip)).toBe(lobbies[i]);
      counts.set(lobbies[i]!, (counts.get(lobbies[i]!) ?? 0) + 1);
    }
    expect(counts.size).toBe(LOBBY_COUNT);
    // Even enough: no lobby gets more than twice its share of 4,096 addresses.
    expect(Math.max(...counts.values())).toBeLessThan((2 * 4096) / LOBBY_COUNT);
    expect(await lobbyOf('2001:db8::1')).toMatch(/^lobby:\d+$/);
    // Under another deployment's secret the same addresses meet other lobbies: which addresses share
    // a lobby cannot be worked out from the code alone.
    const other = secrets().PHONE_HASH_KEY;
    const elsewhere = await Promise.all(ips.slice(0, 256).map((ip) => lobbyOf(ip, other)));
    const moved = elsewhere.filter((name, i) => name !== lobbies[i]).length;
    expect(moved).toBeGreaterThan(256 / 2);
  });
});
