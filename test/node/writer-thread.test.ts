// The Node store's writer thread (src/db/writer.ts): atomic units run off the request thread, answer
// in order, keep their errors, are durable when answered, and closing waits for the units sent.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore, type SqliteStore } from '../../src/db/sqlite.js';
import { wireEncoder } from '../../src/db/writer.js';
import { wireDecoder } from '../../src/db/writer-thread.js';

let dir: string;
let path: string;
let store: SqliteStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'agendai-writer-'));
  path = join(dir, 'db.sqlite');
  store = openSqliteStore(path);
  store.sqlite.exec(
    'CREATE TABLE notes (n INTEGER PRIMARY KEY, text TEXT NOT NULL CHECK (length(text) > 0))',
  );
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const insert = (n: number, text = `note ${n}`) => ({
  sql: 'INSERT INTO notes (n, text) VALUES (?, ?) RETURNING n',
  params: [n, text],
});

describe('the writer thread', () => {
  it('runs a long unit while the request thread goes on serving', async () => {
    // About a quarter of a second of SQLite work in one unit; on the request thread it would hold
    // every timer (and every request) until it ended.
    const slow = {
      sql: `WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 3000000)
            INSERT INTO notes (n, text) SELECT 1, 'sum ' || sum(i) FROM c`,
      params: [],
    };
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const started = performance.now();
    try {
      await store.atomic([slow]);
    } finally {
      clearInterval(timer);
    }
    expect(performance.now() - started).toBeGreaterThan(50);
    // The timer fired while the unit ran. Run on this thread, the unit would start before the first
    // tick and answer before the next timer could fire: none.
    expect(ticks).toBeGreaterThan(0);
  });

  it('answers many concurrent units each with its own results, in order, all committed', async () => {
    const results = await Promise.all(Array.from({ length: 300 }, (_, i) => store.atomic([insert(i + 1)])));
    expect(results.map(([r]) => r!.rows)).toEqual(Array.from({ length: 300 }, (_, i) => [{ n: i + 1 }]));
    // Seen by the request thread's own connection and by another one on the file.
    expect(store.sqlite.prepare('SELECT count(*) AS c FROM notes').get()).toEqual({ c: 300 });
    const other = new Database(path, { readonly: true });
    expect(other.prepare('SELECT count(*) AS c FROM notes').get()).toEqual({ c: 300 });
    other.close();
  });

  it('fails a unit alone, with SQLite’s message and code, and rolls all of it back', async () => {
    const [bad, good] = await Promise.allSettled([
      store.atomic([insert(1), insert(2, '')]),
      store.atomic([insert(3)]),
    ]);
    expect(bad.status).toBe('rejected');
    const error = (bad as PromiseRejectedResult).reason as Error & { code?: string };
    expect(error.message).toMatch(/CHECK constraint failed/);
    expect(error.code).toBe('SQLITE_CONSTRAINT_CHECK');
    expect(good.status).toBe('fulfilled');
    expect(store.sqlite.prepare('SELECT n FROM notes ORDER BY n').all()).toEqual([{ n: 3 }]);
  });

  it('fails units alone among many of one group, each other unit committed once with its own results', async () => {
    // Sent in one turn: one group. Its plain run fails, and it runs again unit by unit.
    const sent = Array.from({ length: 40 }, (_, i) =>
      store.atomic(
        i % 13 === 5 ? [insert(100 + i), insert(200 + i, '')] : [insert(100 + i), insert(200 + i)],
      ),
    );
    const settled = await Promise.allSettled(sent);
    settled.forEach((outcome, i) => {
      if (i % 13 === 5) {
        expect(outcome.status).toBe('rejected');
        expect(((outcome as PromiseRejectedResult).reason as { code?: string }).code).toBe(
          'SQLITE_CONSTRAINT_CHECK',
        );
      } else {
        expect(outcome.status).toBe('fulfilled');
        const results = (outcome as PromiseFulfilledResult<{ rows: unknown[] }[]>).value;
        expect(results.map((r) => r.rows)).toEqual([[{ n: 100 + i }], [{ n: 200 + i }]]);
      }
    });
    const good = Array.from({ length: 40 }, (_, i) => i).filter((i) => i % 13 !== 5);
    expect(store.sqlite.prepare('SELECT n FROM notes ORDER BY n').all()).toEqual([
      ...good.map((i) => ({ n: 100 + i })),
      ...good.map((i) => ({ n: 200 + i })),
    ]);
  });

  it('closes after the units already sent have committed', async () => {
    const sent = Array.from({ length: 50 }, (_, i) => store.atomic([insert(i + 1)]));
    await store.close();
    await Promise.all(sent);
    const reopened = new Database(path, { readonly: true });
    expect(reopened.prepare('SELECT count(*) AS c FROM notes').get()).toEqual({ c: 50 });
    reopened.close();
    await expect(store.atomic([insert(99)])).rejects.toThrow(/closed/);
    store = openSqliteStore(path);
  });

  it('runs in the request thread for a database in memory, which no second connection can share', async () => {
    const memory = openSqliteStore(':memory:');
    memory.sqlite.exec('CREATE TABLE notes (n INTEGER PRIMARY KEY, text TEXT NOT NULL)');
    const sent = Array.from({ length: 20 }, (_, i) => memory.atomic([insert(i + 1)]));
    await memory.close();
    expect((await Promise.all(sent)).map(([r]) => r!.rows)).toEqual(
      Array.from({ length: 20 }, (_, i) => [{ n: i + 1 }]),
    );
  });

  it('sends a statement text once, then its number; past the limit both sides start over', async () => {
    const encode = wireEncoder(4);
    const decode = wireDecoder();
    const a = insert(1);
    const b = { sql: 'SELECT ?', params: [2] };
    const first = encode([a, b, a]);
    expect(first).toStrictEqual({
      ids: [0, 1, 0],
      params: [a.params, b.params, a.params],
      texts: [a.sql, b.sql],
    });
    expect(decode(first)).toStrictEqual([a, b, a]);
    const again = encode([b, insert(3)]);
    expect(again).toStrictEqual({ ids: [1, 0], params: [[2], [3, 'note 3']] });
    expect(decode(again)).toStrictEqual([b, insert(3)]);
    // Two known texts + three more would pass the limit of 4: numbering starts over.
    const c = { sql: 'SELECT ? + 1', params: [5] };
    const over = encode([c, { sql: 'SELECT ? + 2', params: [6] }, a]);
    expect(over).toStrictEqual({
      ids: [0, 1, 2],
      params: [[5], [6], a.params],
      texts: [c.sql, 'SELECT ? + 2', a.sql],
      reset: true,
    });
    expect(decode(over)).toStrictEqual([c, { sql: 'SELECT ? + 2', params: [6] }, a]);
    expect(decode(encode([a]))).toStrictEqual([a]);
  });

  it('runs units of many distinct texts (past the numbering limit) and repeated ones alike', async () => {
    // 1,500 distinct texts (the numbering starts over past 1,000), then the same texts again.
    const unit = (i: number, n: number) => [
      { sql: `INSERT INTO notes (n, text) VALUES (?, ?) RETURNING n, ${i} AS k`, params: [n, `t${n}`] },
    ];
    const round = (from: number) =>
      Promise.all(Array.from({ length: 1500 }, (_, i) => store.atomic(unit(i, from + i))));
    const expected = (from: number) => Array.from({ length: 1500 }, (_, i) => ({ n: from + i, k: i }));
    expect((await round(1)).map(([r]) => r!.rows[0])).toStrictEqual(expected(1));
    expect((await round(2001)).map(([r]) => r!.rows[0])).toStrictEqual(expected(2001));
  });
});
