// The admin CLI, run as a newcomer would: `npm run cli -- ... --json` against a real database file.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'agendai-cli-'));
const env = { ...process.env, DATABASE_PATH: join(dir, 'cli.db') };
const cli = async (...args: string[]) => {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { env });
  return stdout.trim();
};
const cliJson = async (...args: string[]) => JSON.parse(await cli(...args, '--json'));
// Each run starts Node with tsx (seconds on a busy machine); the tests run several in a row.
const SLOW = 240_000;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('admin CLI', () => {
  it('creates a clinic with a test key, then manages keys', { timeout: SLOW }, async () => {
    const created = await cliJson(
      'tenants',
      'create',
      '--name',
      'Clínica Sorriso',
      '--timezone',
      'Europe/Lisbon',
      '--country',
      'PT',
    );
    expect(created.tenant).toMatchObject({
      name: 'Clínica Sorriso',
      country: 'PT',
      publicSlug: 'clinica-sorriso',
      config: { timezone: 'Europe/Lisbon' },
    });
    expect(created.apiKey).toMatch(/^miv_test_[A-Za-z0-9_-]{43}$/);
    const tenantId = created.tenant.id;

    const live = await cliJson(
      'keys',
      'create',
      '--tenant',
      tenantId,
      '--scopes',
      'appointments:read,appointments:write',
      '--live',
      '--expires-in-days',
      '30',
    );
    expect(live.apiKey).toMatch(/^miv_live_/);
    expect(live.key).toMatchObject({ mode: 'live', scopes: ['appointments:read', 'appointments:write'] });
    expect(Date.parse(live.key.expiresAt) - Date.parse(live.key.createdAt)).toBe(30 * 86_400_000);
    // Instants as the admin API renders them: in the clinic's zone (Lisbon: +00:00 or +01:00), not UTC's Z.
    for (const key of [created.key, live.key]) {
      expect(key.createdAt).toMatch(/[+-]\d\d:\d\d$/);
      expect(key.expiresAt).toMatch(/[+-]\d\d:\d\d$/);
    }

    const listed = await cliJson('keys', 'list', '--tenant', tenantId);
    expect(listed.items).toHaveLength(2);
    expect(JSON.stringify(listed)).not.toContain(live.apiKey);
    expect(listed.items[0].displayKey).toMatch(/^miv_live_.{4}….{4}$/);

    const revoked = await cliJson('keys', 'revoke', live.key.id);
    expect(revoked.key.revokedAt).toMatch(/[+-]\d\d:\d\d$/);

    const second = await cliJson(
      'tenants',
      'create',
      '--name',
      'Clínica Sorriso',
      '--timezone',
      'Europe/Lisbon',
      '--country',
      'PT',
    );
    expect(second.tenant.publicSlug).toBe('clinica-sorriso-2');
    const suspended = await cliJson('tenants', 'set-status', second.tenant.id, 'canceled');
    expect(suspended.tenant.status).toBe('canceled');
  });

  it('rejects bad input with a usage error and exit code 2', { timeout: SLOW }, async () => {
    for (const args of [
      ['tenants', 'create', '--name', 'X', '--timezone', 'Mars/Olympus', '--country', 'PT'],
      ['keys', 'create', '--tenant', 'nope', '--scopes', 'appointments:read'],
      ['frobnicate'],
    ]) {
      const error = await cli(...args).catch((e) => e);
      expect(error.code, args.join(' ')).toBe(2);
    }
  });
});

describe('admin CLI against a running service (--url, --admin-token)', () => {
  const token = 'cli-admin-token-0123456789-abcdefghijklmnop';
  // No local database may be opened or made: everything goes over HTTP.
  const untouched = join(dir, 'remote-never.db');
  const remoteEnv = { ...process.env, DATABASE_PATH: untouched, ADMIN_TOKEN: '', AGENDAI_URL: '' };
  const remote = async (extraEnv: Record<string, string>, ...args: string[]) => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      env: { ...remoteEnv, ...extraEnv },
    });
    return stdout.trim();
  };

  it('provisions a clinic and its keys over HTTP, the same operations as on the local file', {
    timeout: SLOW,
  }, async () => {
    const app = await startTestApp({ adminToken: token });
    try {
      const base = app.baseUrl!;
      const flags = ['--url', base, '--admin-token', token, '--json'];
      const created = JSON.parse(
        await remote(
          {},
          'tenants',
          'create',
          '--name',
          'Clínica Remota',
          '--timezone',
          'Europe/Lisbon',
          '--country',
          'PT',
          '--status',
          'active',
          '--live',
          ...flags,
        ),
      );
      expect(created.apiKey).toMatch(/^miv_live_/);
      expect(created.tenant).toMatchObject({ name: 'Clínica Remota', status: 'active', livemode: true });
      const id = created.tenant.id;
      const me = await app.request('GET', '/v1/tenants/me', { key: created.apiKey });
      expect(me.body.id).toBe(id);

      // AGENDAI_URL and ADMIN_TOKEN from the environment instead of flags.
      const fromEnv = { AGENDAI_URL: base, ADMIN_TOKEN: token };
      const listed = JSON.parse(await remote(fromEnv, 'tenants', 'list', '--json'));
      expect(listed.items.map((t: { id: string }) => t.id)).toContain(id);
      const shown = JSON.parse(await remote(fromEnv, 'tenants', 'show', id, '--json'));
      expect(shown.tenant).toEqual(me.body);

      const key = JSON.parse(
        await remote({}, 'keys', 'create', '--tenant', id, '--scopes', 'tenant:read', '--live', ...flags),
      );
      expect(key.key).toMatchObject({ mode: 'live', scopes: ['tenant:read'] });
      expect((await app.request('GET', '/v1/tenants/me', { key: key.apiKey })).status).toBe(200);
      const keys = JSON.parse(await remote({}, 'keys', 'list', '--tenant', id, ...flags));
      expect(keys.items).toHaveLength(2);
      expect(JSON.stringify(keys)).not.toContain(key.apiKey);
      const revoked = JSON.parse(await remote({}, 'keys', 'revoke', key.key.id, '--tenant', id, ...flags));
      expect(revoked.key.revokedAt).not.toBeNull();
      expect((await app.request('GET', '/v1/tenants/me', { key: key.apiKey })).status).toBe(401);

      const suspended = JSON.parse(await remote({}, 'tenants', 'set-status', id, 'canceled', ...flags));
      expect(suspended.tenant.status).toBe('canceled');
      expect((await app.request('GET', '/v1/tenants/me', { key: created.apiKey })).status).toBe(403);

      // Refusals: the service's words and exit 1; the operator's mistakes exit 2.
      const wrong = await remote(
        {},
        'tenants',
        'list',
        '--url',
        base,
        '--admin-token',
        `${token}-wrong`,
      ).catch((e) => e);
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toContain('invalid_api_key');
      const mistakes = [
        ['tenants', 'list', '--url', base],
        ['keys', 'revoke', key.key.id, ...flags],
        ['tenants', 'show', crypto.randomUUID(), ...flags],
        ['tenants', 'list', '--url', 'not-a-url', '--admin-token', token],
      ];
      const errors = await Promise.all(mistakes.map((args) => remote({}, ...args).catch((e) => e)));
      expect(errors.map((e) => e.code)).toEqual([2, 2, 2, 2]);
      expect(existsSync(untouched)).toBe(false);
    } finally {
      await app.close();
    }
  });
});
