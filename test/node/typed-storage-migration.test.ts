// The typed-storage migration on better-sqlite3: a database built with the migrations up to the one
// before it (through drizzle's migrator, as the Node server applies them), filled with data, then
// opened by the server's own store, which applies the rest. See test/support/typed-storage-migration.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterAll, describe, it } from 'vitest';
import { openSqliteStore } from '../../src/db/sqlite.js';
import { migrationsUpTo } from '../support/migrations-up-to.js';
import {
  BEFORE_TYPED_STORAGE,
  checkMigrated,
  contents,
  type RawDb,
  seedOldSchema,
} from '../support/typed-storage-migration.js';

const dir = mkdtempSync(join(tmpdir(), 'agendai-migration-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const raw = (sqlite: Database.Database): RawDb => ({
  run: async (sql, params = []) => void sqlite.prepare(sql).run(...params),
  all: async (sql, params = []) => sqlite.prepare(sql).all(...params) as Record<string, unknown>[],
});

describe('typed storage migration on better-sqlite3', () => {
  it('keeps every row, moves service restrictions into the join table, and enforces the new constraints', async () => {
    const path = join(dir, 'agendai.db');
    const old = new Database(path);
    old.pragma('foreign_keys = ON');
    migrate(drizzle(old), { migrationsFolder: migrationsUpTo(dir, BEFORE_TYPED_STORAGE) });
    await seedOldSchema(raw(old));
    const before = await contents(raw(old));
    old.close();

    const store = openSqliteStore(path);
    try {
      await checkMigrated(raw(store.sqlite), store, before);
    } finally {
      store.close();
    }
  });
});
