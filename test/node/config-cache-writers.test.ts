// The configuration cache (src/db/versioned-cache.ts) against writers it never hears from: a second
// connection to the same SQLite file (what another server process is), raw SQL, and the admin CLI
// run as its own process. The SQLite triggers bump the clinic's counters whoever writes, so the
// service's very next request sees the change.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore, type SqliteStore } from '../../src/db/sqlite.js';
import { silentLogger } from '../../src/logger.js';
import { type NodeService, startNodeService } from '../../src/node/server.js';
import { randomBytes, toBase64Url } from '../../src/security/encoding.js';
import { adminOperations } from '../support/admin.js';
import { appointmentBody, createProfessional, createService } from '../support/factories.js';
import { buildRequest, DEFAULT_NOW, parseReply, UNLIMITED } from '../support/http.js';
import type { RequestOptions, TestApp } from '../support/types.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'agendai-config-cache-'));
const databasePath = join(dir, 'service.db');
let service: NodeService;
let other: SqliteStore;
const now = () => DEFAULT_NOW;

const request = async (method: string, path: string, options: RequestOptions = {}) => {
  const { url, init } = buildRequest(service.url, method, path, options);
  return parseReply(await fetch(url, init));
};
const me = (key: string) => request('GET', '/v1/tenants/me', { key });

beforeAll(async () => {
  service = await startNodeService({
    databasePath,
    secrets: {
      PHONE_HASH_KEY: { version: 1, secret: toBase64Url(randomBytes(32)) },
      PHONE_ENCRYPTION_KEY: { version: 1, secret: toBase64Url(randomBytes(32)) },
    },
    logger: silentLogger,
    clock: { now },
    port: 0,
    schedulerIntervalMs: 0,
    rateLimits: UNLIMITED,
  });
  // Another connection to the same file: its writes reach the service only through the file.
  other = openSqliteStore(databasePath);
});
afterAll(async () => {
  other.close();
  await service.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the configuration cache and other writers on the same file', () => {
  it('sees keys revoked and clinics suspended by a second connection', async () => {
    const admin = adminOperations(other.db, now);
    const clinic = await admin.createClinic();
    const second = await admin.createKey(clinic.tenantId, ['*']);
    expect((await me(clinic.key)).status).toBe(200);
    expect((await me(second.key)).status).toBe(200);

    await admin.revokeKey(second.keyId);
    expect((await me(second.key)).body.error).toBe('invalid_api_key');
    expect((await me(clinic.key)).status).toBe(200);

    other.sqlite.prepare("UPDATE tenants SET status = 'canceled' WHERE id = ?").run(clinic.tenantId);
    expect((await me(clinic.key)).body.error).toBe('tenant_inactive');
    other.sqlite.prepare("UPDATE tenants SET status = 'active' WHERE id = ?").run(clinic.tenantId);
    expect((await me(clinic.key)).status).toBe(200);
  });

  it('sees a catalogue changed by a second connection', async () => {
    const clinic = await adminOperations(other.db, now).createClinic();
    const app = { request } as unknown as TestApp;
    const professional = await createProfessional(app, clinic);
    const service_ = await createService(app, clinic);
    await request('PUT', `/v1/professionals/${professional.id}/schedule`, {
      key: clinic.key,
      body: { weekly: { wednesday: [{ start: '09:00', end: '13:00' }] } },
    });
    const availability = () =>
      request('GET', '/v1/availability', {
        key: clinic.key,
        query: { serviceTypeId: service_.id, from: '2026-03-04', to: '2026-03-04' },
      });
    expect((await availability()).body.items.length).toBeGreaterThan(0);

    other.sqlite.prepare('UPDATE services SET duration_minutes = 240 WHERE id = ?').run(service_.id);
    const longer = (await availability()).body.items;
    expect(longer).toHaveLength(1);
    expect(Date.parse(longer[0].endsAt) - Date.parse(longer[0].startsAt)).toBe(4 * 3_600_000);

    other.sqlite.prepare('UPDATE professionals SET active = 0 WHERE id = ?').run(professional.id);
    const refused = await request('POST', '/v1/appointments', {
      key: clinic.key,
      body: appointmentBody({ professional, service: service_ }, '2026-03-04T09:00:00Z'),
    });
    expect(refused.body.error).toBe('professional_inactive');
  });

  it('refuses a key the admin CLI revoked, on the very next request', { timeout: 240_000 }, async () => {
    const admin = adminOperations(other.db, now);
    const clinic = await admin.createClinic();
    const second = await admin.createKey(clinic.tenantId, ['*']);
    expect((await me(second.key)).status).toBe(200);
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'src/cli.ts', 'keys', 'revoke', second.keyId, '--json'],
      { env: { ...process.env, DATABASE_PATH: databasePath } },
    );
    expect(JSON.parse(stdout).key.revokedAt).not.toBeNull();
    expect((await me(second.key)).body.error).toBe('invalid_api_key');
    expect((await me(clinic.key)).status).toBe(200);
  });
});
