// The store: drizzle for ordinary reads and single-statement writes, plus `atomic` for the writes
// that must be safe under concurrency. An atomic unit is a list of plain SQL statements that both
// drivers run identically: one `BEGIN IMMEDIATE` transaction on better-sqlite3, one
// `transactionSync` in a clinic's Durable Object. No statement may depend on a value read in
// JavaScript between statements (a unit is planned whole, then run), so every later statement
// guards itself with SQL conditions instead.
import type { SQL } from 'drizzle-orm';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import { compile } from './compile.js';
import { q } from './fragment.js';
import type * as schema from './schema.js';

export type Db = BaseSQLiteDatabase<'sync' | 'async', unknown, typeof schema>;

export type Row = Record<string, unknown>;

/** One compiled statement of an atomic unit. */
export interface Statement {
  sql: string;
  params: unknown[];
}

export interface StatementResult {
  rows: Row[];
  changes: number;
}

export interface Store {
  db: Db;
  /** Runs the statements as one all-or-nothing unit and returns each one's rows and change count. */
  atomic(statements: Statement[]): Promise<StatementResult[]>;
  /** Runs one raw statement outside any unit (for reads drizzle cannot express). */
  query(statement: Statement): Promise<Row[]>;
  /**
   * Runs independent reads together and returns each one's rows, in order: one round trip whatever
   * their number (on better-sqlite3 one read transaction, a synchronous burst over a single
   * snapshot; a Durable Object's SQLite runs them in sequence, with no network between them). A read
   * must not depend on another's result: that is what the next batch is for.
   */
  batch<T extends unknown[]>(...reads: { [K in keyof T]: Read<T[K]> }): Promise<{ [K in keyof T]: T[K][] }>;
  /**
   * How many atomic units so far queued webhook deliveries (see `outboxWatch`). The delivery kick after
   * a request runs only when this moved during it, so a write that queued nothing costs no extra trip.
   */
  readonly deliveriesQueued: number;
  /** The same for messages to patients: the send after a request runs only when one was queued. */
  readonly messagesQueued: number;
}

const QUEUES = { deliveries: /^\s*INSERT INTO webhook_deliveries\b/, messages: /^\s*INSERT INTO messages\b/ };

/** Counts the units that queued webhook deliveries or messages: a driver shows it each unit it ran. */
export function outboxWatch() {
  const queued = { deliveries: 0, messages: 0 };
  const inserted = (statements: Statement[], results: StatementResult[], into: RegExp) =>
    statements.some((s, i) => (results[i]?.changes ?? 0) > 0 && into.test(s.sql));
  return {
    get deliveries() {
      return queued.deliveries;
    },
    get messages() {
      return queued.messages;
    },
    see(statements: Statement[], results: StatementResult[]) {
      if (inserted(statements, results, QUEUES.deliveries)) queued.deliveries++;
      if (inserted(statements, results, QUEUES.messages)) queued.messages++;
      return results;
    },
  };
}

/**
 * One read of a batch: a drizzle query prepared once (placeholders for its values, see `preparedOnce`)
 * and the values for this run. A batched read must not select two columns of the same name (a
 * join's two `id`s): its rows are decoded from objects keyed by name.
 */
export type Read<T> =
  | { query: PreparedRead<T>; values: Record<string, unknown> }
  | { plain: Statement; rows?: T };

/** What `batch` needs of a drizzle prepared query: `all`, on either driver. */
export interface PreparedRead<T> {
  all(values?: Record<string, unknown>): T[] | Promise<T[]>;
}

/**
 * Runs a prepared read at once. Both drivers answer synchronously (better-sqlite3, a Durable Object's
 * SQLite), which the configuration caches rely on: no await between reading a clinic's version and
 * reading the rows it vouches for (src/db/versioned-cache.ts).
 */
export function allNow<T>(query: PreparedRead<T>, values: Record<string, unknown> = {}): T[] {
  const rows = query.all(values);
  if (rows instanceof Promise) throw new Error('allNow needs a driver that answers synchronously');
  return rows;
}

/** A read for `Store.batch`. */
export const read = <T>(query: PreparedRead<T>, values: Record<string, unknown> = {}): Read<T> => ({
  query,
  values,
});

/**
 * A read for `Store.batch` as plain SQL, its rows exactly as SQLite returns them (named by the
 * statement's aliases): for reads of many rows, where drizzle's decoding of every field of every row
 * cost more than the query itself. The statement is prepared once per text on better-sqlite3.
 */
export const plainRead = <T>(statement: Statement): Read<T> => ({ plain: statement });

/** Runs one read of a batch: a plain statement through the driver's own `run`, or a drizzle query. */
export const runRead = (r: Read<unknown>, run: (statement: Statement) => unknown[]) =>
  'plain' in r ? run(r.plain) : r.query.all(r.values);

export { compile };

/** The guard of a command without an Idempotency-Key: its writes always run. */
export const ALWAYS: SQL = q`1`;

export const not = (condition: SQL): SQL => q`NOT ${condition}`;
export const allOf = (conditions: SQL[]): SQL => q`(${q.join(conditions, ' AND ')})`;

/**
 * A query built and prepared once per database and reused: drizzle otherwise rebuilds and
 * re-prepares the SQL on every call (~0.1 ms each), which dominates the hot paths (auth, lookups).
 */
export function preparedOnce<T>(build: (db: Db) => T): (db: Db) => T {
  const cache = new WeakMap<Db, T>();
  return (db) => {
    let query = cache.get(db);
    if (query === undefined) {
      query = build(db);
      cache.set(db, query);
    }
    return query;
  };
}

/**
 * A drizzle write builder as a statement for `atomic` (so it joins the group commit on Node): its SQL
 * compiled by `compile`, what the builder's `toSQL()` gives (our drizzle instances set no casing).
 */
export function statementOf(query: { getSQL(): SQL }): Statement {
  return compile(query.getSQL());
}
