// The typed-storage migration on D1 in workerd: a database of its own built with the migrations up
// to the one before it, filled with data, then migrated the way wrangler applies migrations (each
// file one batch). See test/support/typed-storage-migration.ts.
import { applyD1Migrations } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, it } from 'vitest';
import { openD1Store } from '../../src/db/d1.js';
import {
  BEFORE_TYPED_STORAGE,
  checkMigrated,
  contents,
  type RawDb,
  seedOldSchema,
} from '../support/typed-storage-migration.js';

const raw = (d1: D1Database): RawDb => ({
  run: async (sql, params = []) =>
    void (await d1
      .prepare(sql)
      .bind(...params)
      .run()),
  all: async (sql, params = []) =>
    (
      await d1
        .prepare(sql)
        .bind(...params)
        .all<Record<string, unknown>>()
    ).results,
});

describe('typed storage migration on D1', () => {
  it('keeps every row, moves service restrictions into the join table, and enforces the new constraints', async () => {
    const db = env.MIGRATION_DB;
    const end = env.TEST_MIGRATIONS.findIndex((m) => m.name === `${BEFORE_TYPED_STORAGE}.sql`);
    if (end < 0) throw new Error(`No migration ${BEFORE_TYPED_STORAGE}`);
    await applyD1Migrations(db, env.TEST_MIGRATIONS.slice(0, end + 1));
    await seedOldSchema(raw(db));
    const before = await contents(raw(db));

    await applyD1Migrations(db, env.TEST_MIGRATIONS);
    await checkMigrated(raw(db), openD1Store(db), before);
  });
});
