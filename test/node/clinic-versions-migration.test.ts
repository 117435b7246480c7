// The clinic-versions migration (drizzle/0020_clinic_versions.sql) on a database that already holds
// clinics: each gets its counters row, and from then on the triggers count their changes, so a
// service that was running on the old schema gets a cache that is never stale for them too.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterAll, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/db/sqlite.js';
import { findApiKeyWithTenant } from '../../src/db/tenants.js';
import { migrationsUpTo } from '../support/migrations-up-to.js';

const dir = mkdtempSync(join(tmpdir(), 'agendai-versions-migration-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('gives every existing clinic its counters, which its changes then move', async () => {
  const path = join(dir, 'agendai.db');
  const old = new Database(path);
  migrate(drizzle(old), { migrationsFolder: migrationsUpTo(dir, '0019_bounded_caller_reads') });
  for (const id of ['t1', 't2']) {
    old
      .prepare(
        "INSERT INTO tenants (id, name, country, config, created_at, updated_at) VALUES (?, 'C', 'PT', '{}', 1, 1)",
      )
      .run(id);
  }
  old
    .prepare(
      `INSERT INTO api_keys (id, tenant_id, mode, key_hash, display_prefix, last4, scopes, expires_at, created_at)
       VALUES ('k1', 't1', 'live', 'h1', 'miv_live_', 'abcd', '["*"]', 9999999999999, 1)`,
    )
    .run();
  old.close();

  const store = openSqliteStore(path);
  try {
    const versions = () =>
      store.sqlite
        .prepare('SELECT tenant_id, access, integrations, catalog FROM clinic_versions ORDER BY 1')
        .all();
    expect(versions()).toEqual([
      { tenant_id: 't1', access: 0, integrations: 0, catalog: 0 },
      { tenant_id: 't2', access: 0, integrations: 0, catalog: 0 },
    ]);
    // Kept, then revoked behind the cache's back: the next lookup sees it.
    expect((await findApiKeyWithTenant(store.db, 'h1'))?.key.revokedAt).toBeNull();
    store.sqlite.prepare("UPDATE api_keys SET revoked_at = 5 WHERE id = 'k1'").run();
    expect((await findApiKeyWithTenant(store.db, 'h1'))?.key.revokedAt).toBe(5);
    expect(versions()).toEqual([
      { tenant_id: 't1', access: 1, integrations: 0, catalog: 0 },
      { tenant_id: 't2', access: 0, integrations: 0, catalog: 0 },
    ]);
  } finally {
    store.close();
  }
});
