// Node implementation of the test harness: the real HTTP server (@hono/node-server) on a real
// SQLite file in a temporary folder, with a clock the test controls.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiKey, revokeKey } from '../../src/accounts/api-keys.js';
import { createTenant } from '../../src/accounts/tenants.js';
import { updateTenant } from '../../src/db/tenants.js';
import { silentLogger } from '../../src/logger.js';
import { startNodeService } from '../../src/node/server.js';
import { randomBytes, toBase64Url } from '../../src/security/encoding.js';
import { buildRequest, DEFAULT_NOW, parseReply, UNLIMITED } from './http.js';
import type { TestApp, TestAppOptions } from './types.js';

export const runtime = 'node' as const;

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'agendai-test-'));
  let now = options.now ?? DEFAULT_NOW;
  const service = await startNodeService({
    databasePath: join(dir, 'test.db'),
    secrets: {
      PHONE_HASH_KEY: { version: 1, secret: toBase64Url(randomBytes(32)) },
      PHONE_ENCRYPTION_KEY: { version: 1, secret: toBase64Url(randomBytes(32)) },
    },
    logger: silentLogger,
    clock: { now: () => now },
    port: 0,
    rateLimits: options.rateLimits ?? UNLIMITED,
  });
  const { store } = service.deps;
  let clinics = 0;

  return {
    async request(method, path, opts = {}) {
      const { url, init } = buildRequest(service.url, method, path, opts);
      return parseReply(await fetch(url, init));
    },
    setNow: (ms) => {
      now = ms;
    },
    now: () => now,
    async createClinic(o = {}) {
      const tenant = await createTenant(
        store.db,
        {
          name: o.name ?? `Clínica ${++clinics}`,
          timezone: o.timezone ?? 'Europe/Lisbon',
          country: o.country ?? 'PT',
          status: o.status ?? 'active',
        },
        now,
      );
      const { apiKey, key } = await createApiKey(store.db, tenant.id, { scopes: ['*'] }, now);
      return { tenantId: tenant.id, key: apiKey, keyId: key.id };
    },
    async createKey(tenantId, scopes, o = {}) {
      const { apiKey, key } = await createApiKey(
        store.db,
        tenantId,
        { scopes, expiresInDays: o.expiresInDays },
        now,
      );
      return { key: apiKey, keyId: key.id };
    },
    async revokeKey(keyId) {
      await revokeKey(store.db, keyId, now);
    },
    async setTenantStatus(tenantId, status) {
      await updateTenant(store.db, tenantId, { status });
    },
    sql: async (query, ...params) => store.sqlite.prepare(query).all(...params) as Record<string, unknown>[],
    exec: async (statement) => {
      store.sqlite.exec(statement);
    },
    async close() {
      await service.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
