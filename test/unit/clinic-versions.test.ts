// The clinic counters (clinic_versions) that the configuration caches trust are kept by SQLite
// triggers (drizzle/0020_clinic_versions.sql, 0021 for schedule_exceptions), which drizzle-kit does not know: a later migration
// that rebuilds one of the counted tables drops its triggers silently, and a new column of api_keys
// would be left out of the update trigger's list. This file fails then.
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/db/sqlite.js';

const store = openSqliteStore(':memory:');
const { sqlite } = store;
afterAll(() => store.close());

const COUNTED = {
  tenants: 'access',
  api_keys: 'access',
  voice_integrations: 'integrations',
  professionals: 'catalog',
  services: 'catalog',
  service_professionals: 'catalog',
  schedule_exceptions: 'catalog',
} as const;
/** Columns that change without changing what is cached (a key's last-use touch, once a minute). */
const UNCOUNTED: Record<string, string[]> = { api_keys: ['last_used_at'] };

const triggerSql = (name: string) =>
  (
    sqlite.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?").get(name) as
      | { sql: string }
      | undefined
  )?.sql;
const columnsOf = (table: string) =>
  (sqlite.prepare('SELECT name FROM pragma_table_info(?)').all(table) as { name: string }[]).map(
    (c) => c.name,
  );
const versions = (tenantId: string) =>
  sqlite
    .prepare('SELECT access, integrations, catalog FROM clinic_versions WHERE tenant_id = ?')
    .get(tenantId) as { access: number; integrations: number; catalog: number } | undefined;

describe('clinic_versions triggers', () => {
  it.each(Object.entries(COUNTED))('%s bumps %s on insert, update and delete', (table, counter) => {
    for (const event of ['insert', 'update', 'delete']) {
      const text = triggerSql(`${table}_versions_${event}`);
      expect(text, `${table}_versions_${event}`).toBeDefined();
      expect(text).toContain(`${counter} = ${counter} + 1`);
    }
    const update = triggerSql(`${table}_versions_update`)!;
    const of = /AFTER UPDATE OF (.+?) ON/.exec(update)?.[1]?.split(/,\s*/);
    const uncounted = UNCOUNTED[table] ?? [];
    // Every column counts but the listed ones: a column added later must be added to the list.
    if (uncounted.length === 0) expect(of).toBeUndefined();
    else
      expect(of?.sort()).toEqual(
        columnsOf(table)
          .filter((c) => !uncounted.includes(c))
          .sort(),
      );
  });

  it('counts each clinic apart, leaves a touch and a rolled-back write out', () => {
    const at = 1_700_000_000_000;
    const tenant = (id: string) =>
      sqlite
        .prepare(
          "INSERT INTO tenants (id, name, country, config, created_at, updated_at) VALUES (?, 'C', 'PT', '{}', ?, ?)",
        )
        .run(id, at, at);
    tenant('t1');
    tenant('t2');
    expect(versions('t1')).toEqual({ access: 1, integrations: 0, catalog: 0 });
    sqlite
      .prepare(
        `INSERT INTO api_keys (id, tenant_id, mode, key_hash, display_prefix, last4, scopes, expires_at, created_at)
         VALUES ('k1', 't1', 'live', 'h1', 'miv_live_', 'abcd', '["*"]', ?, ?)`,
      )
      .run(at * 2, at);
    expect(versions('t1')).toEqual({ access: 2, integrations: 0, catalog: 0 });
    sqlite.prepare('UPDATE api_keys SET last_used_at = ? WHERE id = ?').run(at, 'k1');
    expect(versions('t1')!.access).toBe(2);
    sqlite.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ?').run(at, 'k1');
    expect(versions('t1')!.access).toBe(3);

    const insertService = sqlite.prepare(
      "INSERT INTO services (id, tenant_id, name, duration_minutes, created_at, updated_at) VALUES (?, 't1', 'S', 30, ?, ?)",
    );
    insertService.run('s1', at, at);
    expect(versions('t1')).toEqual({ access: 3, integrations: 0, catalog: 1 });
    expect(() =>
      sqlite.transaction(() => {
        insertService.run('s2', at, at);
        throw new Error('roll back');
      })(),
    ).toThrow('roll back');
    expect(versions('t1')!.catalog).toBe(1);
    sqlite.prepare('DELETE FROM services WHERE id = ?').run('s1');
    expect(versions('t1')!.catalog).toBe(2);
    // The other clinic never moved.
    expect(versions('t2')).toEqual({ access: 1, integrations: 0, catalog: 0 });
  });
});
