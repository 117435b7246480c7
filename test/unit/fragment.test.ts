// `q` (src/db/fragment.ts): statement text kept per shape. One shape gives one text whatever its values,
// other shapes other texts, the texts stay right past the bound on kept shapes, and the statements
// match drizzle's own compile of them and run in a real SQLite. (That the text is the very same string
// object is not observable from JavaScript; the benchmark shows it.)
import Database from 'better-sqlite3';
import { eq, type SQL, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { integer, SQLiteSyncDialect, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/db/compile.js';
import { q } from '../../src/db/fragment.js';

const dialect = new SQLiteSyncDialect();
const condition = (id: string, version: number) =>
  q`EXISTS (SELECT 1 FROM rows WHERE id = ${id} AND version = ${version})`;
const insertIf = (values: unknown[], conditions: SQL[]) =>
  q`INSERT INTO rows (id, name, version, flag) SELECT ${q.list(values)} WHERE ${q.join(conditions, ' AND ')}`;

describe('q', () => {
  it('gives one text per shape, whatever the values, and gathers the values in order', () => {
    const a = compile(insertIf(['a', 'Ana', 1, true], [condition('x', 1), q`1`]));
    const b = compile(insertIf(['b', 'Bo', 2, false], [condition('y', 7), q`1`]));
    expect(a.sql).toBe(b.sql);
    expect(a.sql).toBe(
      'INSERT INTO rows (id, name, version, flag) SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM rows WHERE id = ? AND version = ?) AND 1',
    );
    expect(a.params).toEqual(['a', 'Ana', 1, 1, 'x', 1]);
    expect(b.params).toEqual(['b', 'Bo', 2, 0, 'y', 7]);
  });

  it('gives another text to another shape: more conditions, a missing piece, a longer list', () => {
    const one = compile(insertIf(['a', 'Ana', 1, true], [condition('x', 1)])).sql;
    const two = compile(insertIf(['a', 'Ana', 1, true], [condition('x', 1), condition('z', 2)])).sql;
    expect(two).not.toBe(one);
    expect(two).toContain('AND EXISTS');
    const maybe = (extra?: string) => q`SELECT 1 WHERE 1 ${extra ? q`AND id = ${extra}` : undefined}`;
    expect(compile(maybe())).toEqual({ sql: 'SELECT 1 WHERE 1 ', params: [] });
    expect(compile(maybe('k'))).toEqual({ sql: 'SELECT 1 WHERE 1 AND id = ?', params: ['k'] });
    expect(compile(q`(${q.list([1, 2, 3])})`).sql).toBe('(?, ?, ?)');
  });

  it("matches drizzle's own compile of it, also inside drizzle templates and with drizzle chunks inside", () => {
    const table = sqliteTable('rows', { id: text('id').primaryKey(), version: integer('version') });
    const mixed = [
      insertIf(['a', 'Ana', 1, true], [condition('x', 1), q.raw('1 = 1')]),
      sql`SELECT * FROM rows WHERE ${condition('x', 2)} OR ${table.id} = ${'y'}`,
      q`SELECT * FROM rows WHERE ${eq(table.version, 3)} AND ${table.id} IN ${['a', 'b']}`,
    ];
    for (const statement of mixed) {
      const { sql: text, params } = dialect.sqlToQuery(statement);
      expect(compile(statement)).toEqual({ sql: text, params: params.map((p) => (p === true ? 1 : p)) });
    }
  });

  it('runs in SQLite, and through a drizzle query that holds it', () => {
    const sqlite = new Database(':memory:');
    sqlite.exec('CREATE TABLE rows (id TEXT PRIMARY KEY, name TEXT, version INTEGER, flag INTEGER)');
    const run = (statement: SQL) => {
      const { sql: text, params } = compile(statement);
      return sqlite.prepare(text).run(...params).changes;
    };
    expect(run(insertIf(['a', 'Ana', 1, true], [q`1`]))).toBe(1);
    // Guarded: only while "a" is at version 1.
    expect(run(insertIf(['b', 'Bo', 1, false], [condition('a', 2)]))).toBe(0);
    expect(run(insertIf(['b', 'Bo', 1, false], [condition('a', 1)]))).toBe(1);
    const table = sqliteTable('rows', { id: text('id').primaryKey(), flag: integer('flag') });
    const db = drizzle(sqlite);
    const rows = db.select().from(table).where(condition('a', 1)).orderBy(table.id).all();
    expect(rows).toEqual([
      { id: 'a', flag: 1 },
      { id: 'b', flag: 0 },
    ]);
    sqlite.close();
  });

  it('keeps texts right past its bound on shapes', () => {
    // Each raw text is a shape of its own: enough of them to start the kept texts over, twice.
    for (let i = 0; i < 45_000; i++) {
      const { sql: text, params } = compile(q`SELECT ${q.raw(`c${i}`)} WHERE id = ${i}`);
      if (text !== `SELECT c${i} WHERE id = ?` || params[0] !== i) throw new Error(`shape ${i}: ${text}`);
    }
    const again = compile(condition('x', 1)).sql;
    expect(compile(condition('y', 2)).sql).toBe(again);
  });
});
