// The admin CLI, run as a newcomer would: `npm run cli -- ... --json` against a real database file.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'agendai-cli-'));
const env = { ...process.env, DATABASE_PATH: join(dir, 'cli.db') };
const cli = async (...args: string[]) => {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { env });
  return stdout.trim();
};
const cliJson = async (...args: string[]) => JSON.parse(await cli(...args, '--json'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('admin CLI', () => {
  it('creates a clinic with a test key, then manages keys', async () => {
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

    const listed = await cliJson('keys', 'list', '--tenant', tenantId);
    expect(listed.items).toHaveLength(2);
    expect(JSON.stringify(listed)).not.toContain(live.apiKey);
    expect(listed.items[0].displayKey).toMatch(/^miv_live_.{4}….{4}$/);

    const revoked = await cliJson('keys', 'revoke', live.key.id);
    expect(revoked.key.revokedAt).not.toBeNull();

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

  it('rejects bad input with a usage error and exit code 2', async () => {
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
