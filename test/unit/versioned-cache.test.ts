// The cache's own promises, apart from the SQL (test/api/config-cache.test.ts covers the requests):
// an entry answers only while its clinic's counter holds, entries are frozen, and the number kept is
// bounded, the least recently used going first.
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/db/sqlite.js';
import { versionedCache } from '../../src/db/versioned-cache.js';

const store = openSqliteStore(':memory:');
const { db, sqlite } = store;
afterAll(() => store.close());
const setVersion = (tenantId: string, catalog: number) =>
  sqlite
    .prepare(
      'INSERT INTO clinic_versions (tenant_id, catalog) VALUES (?, ?) ON CONFLICT (tenant_id) DO UPDATE SET catalog = excluded.catalog',
    )
    .run(tenantId, catalog);

describe('versionedCache', () => {
  it('answers while the counter holds, and drops the entry once it moved', () => {
    const cache = versionedCache<string, { name: string }>('catalog', 10);
    setVersion('a', 4);
    cache.keep(db, 'a', 'a', 4, { name: 'kept' });
    expect(cache.get(db, 'a')).toEqual({ name: 'kept' });
    setVersion('a', 5);
    expect(cache.get(db, 'a')).toBeUndefined();
    // Dropped: even were the counter to read 4 again, the old entry is gone.
    setVersion('a', 4);
    expect(cache.get(db, 'a')).toBeUndefined();
  });

  it('freezes what it keeps, deeply', () => {
    const cache = versionedCache<string, { list: { name: string }[] }>('catalog', 10);
    setVersion('b', 1);
    const kept = cache.keep(db, 'b', 'b', 1, { list: [{ name: 'x' }] });
    expect(() => kept.list.push({ name: 'y' })).toThrow(TypeError);
    expect(() => {
      kept.list[0]!.name = 'z';
    }).toThrow(TypeError);
  });

  it('keeps at most its capacity, least recently used out first', () => {
    const cache = versionedCache<string, number>('catalog', 2);
    for (const t of ['c1', 'c2', 'c3']) setVersion(t, 1);
    cache.keep(db, 'c1', 'c1', 1, 1);
    cache.keep(db, 'c2', 'c2', 1, 2);
    expect(cache.get(db, 'c1')).toBe(1); // c1 used: c2 is now the oldest
    cache.keep(db, 'c3', 'c3', 1, 3);
    expect(cache.get(db, 'c2')).toBeUndefined();
    expect(cache.get(db, 'c1')).toBe(1);
    expect(cache.get(db, 'c3')).toBe(3);
  });
});
