// The Node driver's writer: atomic units run on a connection of their own in a worker thread, with
// group commit. A unit's statements, its COMMIT (an fsync: synchronous = FULL) and SQLite's WAL
// checkpoints then cost the request thread nothing but two messages: under load, the inserts of a
// booking and their fsync were a third of the request thread's time, and a checkpoint inside a
// COMMIT stalled every request for tens of milliseconds. Reads stay on the request thread's own
// connection: WAL lets them run beside the writer, and a COMMIT is visible to the next read.
//
// This file is loaded in two ways: as the worker thread's entry (Node strips its types, so it imports
// nothing of ours but types), and as a module by src/db/sqlite.ts, which also uses `groupCommitter`
// in-thread for a database no other connection can share (`:memory:`).
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { Statement, StatementResult } from './store.js';

/** The pragmas of every connection to the file, the request thread's and the writer's. */
export function configureConnection(sqlite: Database.Database) {
  sqlite.pragma('journal_mode = WAL');
  // FULL: an acknowledged booking survives power loss, not only a process crash.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  // Other connections (the request thread's, the CLI, a second server) may hold the lock a moment.
  sqlite.pragma('busy_timeout = 5000');
}

/**
 * The SQL with each bound parameter `?` written `+?` (a no-op in SQLite: same value, same affinity,
 * same index use), outside quoted strings, identifiers and comments.
 *
 * Why: when SQLite's planner reads a parameter's bound value (a `LIMIT ?`; since SQLite 3.54 also
 * any `column = ?` it does not search by, in a statement with a join, a flattened subquery or an
 * ORDER BY), it marks the statement to be compiled again when that value changes. better-sqlite3
 * clears the bindings after every run, and SQLite then expires any statement so marked: such a
 * statement was compiled anew on every run, 3 to 8 times its cost (the appointment insert 49 µs →
 * 10 µs; most of a booking's reads and writes were affected). The planner does not look through a
 * `+`, so the statement compiles once and keeps its plan.
 */
export function opaqueParameters(sql: string): string {
  let out = '';
  let from = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (c === "'" || c === '"' || c === '`' || c === '[') {
      const close = c === '[' ? ']' : c;
      // Past the closing quote; a quote doubled inside is one character ("]" cannot be doubled). An
      // unterminated quote runs to the end, and SQLite refuses the statement.
      for (i++; i < sql.length; i++) {
        if (sql[i] !== close) continue;
        if (close !== ']' && sql[i + 1] === close) i++;
        else break;
      }
      i++;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
    } else if (c === '?') {
      out += `${sql.slice(from, i)}+`;
      from = i;
      i++;
    } else i++;
  }
  return out + sql.slice(from);
}

/**
 * A connection's statements by SQL text, each prepared once (a bounded number kept), with its
 * parameters made opaque to the planner (see opaqueParameters).
 */
export function statementCache(sqlite: Database.Database): (sql: string) => Database.Statement {
  const prepared = new Map<string, Database.Statement>();
  return (sql) => {
    let stmt = prepared.get(sql);
    if (!stmt) {
      stmt = sqlite.prepare(opaqueParameters(sql));
      if (prepared.size >= 1000) prepared.clear();
      prepared.set(sql, stmt);
    }
    return stmt;
  };
}

/** A unit's outcome: its statements' results, or why it failed (an Error does not cross threads whole). */
export type UnitOutcome =
  | { ok: true; results: StatementResult[] }
  | { ok: false; error: { message: string; code?: string } };

/**
 * Group commit over one connection. Units that arrive in the same turn of the event loop run in one
 * transaction, and one COMMIT (one fsync) makes the whole group durable; only then does any unit
 * answer. Under load this turns "one fsync per booking" into "one per batch".
 *
 * A unit that fails must roll back alone, the others standing. A savepoint per unit gives that, but
 * SQLite then copies every page a unit touches into a statement journal first (13% of the writer's
 * time), and units almost never fail: their guards refuse by changing nothing, not by raising. So a
 * group first runs plainly; only if one of its units raises is the group rolled back and run again,
 * each unit in its own savepoint (a nested better-sqlite3 transaction). Nothing of a group is seen
 * before its COMMIT, so running it twice is invisible.
 */
export function groupCommitter(sqlite: Database.Database, answer: (outcomes: UnitOutcome[]) => void) {
  const prepare = statementCache(sqlite);
  const execute = ({ sql, params }: Statement): StatementResult => {
    const stmt = prepare(sql);
    if (stmt.reader) return { rows: stmt.all(...params) as StatementResult['rows'], changes: 0 };
    return { rows: [], changes: stmt.run(...params).changes };
  };
  /** Set when a unit's statement raised, as opposed to BEGIN or COMMIT. */
  let unitRaised = false;
  // IMMEDIATE takes the write lock up front: a deferred transaction that upgrades would fail with
  // SQLITE_BUSY at once, whatever the busy timeout.
  const plainly = sqlite.transaction((units: Statement[][]) =>
    units.map((statements): UnitOutcome => {
      try {
        return { ok: true, results: statements.map(execute) };
      } catch (error) {
        unitRaised = true;
        throw error;
      }
    }),
  );
  const unit = sqlite.transaction((statements: Statement[]) => statements.map(execute));
  const apart = sqlite.transaction((units: Statement[][]) =>
    units.map((statements): UnitOutcome => {
      try {
        return { ok: true, results: unit(statements) };
      } catch (error) {
        return { ok: false, error: describe(error) };
      }
    }),
  );
  const failAll = (units: Statement[][], error: unknown): UnitOutcome[] => {
    const failed = describe(error);
    return units.map(() => ({ ok: false, error: failed }));
  };
  const commit = (units: Statement[][]): UnitOutcome[] => {
    unitRaised = false;
    try {
      return plainly.immediate(units);
    } catch (error) {
      // BEGIN or COMMIT failed (disk full, lock timeout): nothing of the group was written. A lone
      // unit's own failure is its outcome as it stands.
      if (!unitRaised || units.length === 1) return failAll(units, error);
    }
    try {
      return apart.immediate(units);
    } catch (error) {
      return failAll(units, error);
    }
  };
  let queue: Statement[][] = [];
  const flush = () => {
    const units = queue;
    queue = [];
    answer(commit(units));
  };
  return {
    /** Queues a unit; its outcome comes to `answer` in the order units were queued. */
    run(statements: Statement[]) {
      if (queue.push(statements) === 1) setImmediate(flush);
    },
    /** Runs what is queued now (before closing); the scheduled flush then finds nothing. */
    flush: () => {
      if (queue.length) flush();
    },
  };
}

function describe(error: unknown): { message: string; code?: string } {
  const code = (error as { code?: unknown }).code;
  return {
    message: error instanceof Error ? error.message : String(error),
    ...(typeof code === 'string' ? { code } : {}),
  };
}

/**
 * A unit as it crosses to the writer: each statement's text by number, the text itself only the first
 * time it crosses (`texts`, numbered on from the last one sent). Copying some ten statement texts
 * into every message was ~5% of the request thread on a booking; the texts of a door's units are few.
 * `reset` starts the numbering over (the sender bounds how many texts both sides keep).
 */
export interface WireUnit {
  ids: number[];
  params: unknown[][];
  texts?: string[];
  reset?: true;
}

/** The writer's side of the numbering: turns each arriving unit back into its statements. */
export function wireDecoder() {
  let texts: string[] = [];
  return (unit: WireUnit): Statement[] => {
    if (unit.reset) texts = [];
    if (unit.texts) texts.push(...unit.texts);
    return unit.ids.map((id, i) => ({ sql: texts[id] as string, params: unit.params[i] as unknown[] }));
  };
}

/** What the request thread sends: a unit to run, or the word to close. */
export type WriterMessage = { unit: WireUnit } | { close: true };

export const WRITER_ROLE = 'agendai-writer';

if (!isMainThread && parentPort && (workerData as { role?: string } | null)?.role === WRITER_ROLE) {
  const port = parentPort;
  const sqlite = new Database((workerData as { path: string }).path);
  configureConnection(sqlite);
  // One message per group: the request thread matches outcomes to units by order.
  const committer = groupCommitter(sqlite, (outcomes) => port.postMessage(outcomes));
  const decode = wireDecoder();
  port.on('message', (message: WriterMessage) => {
    if ('unit' in message) committer.run(decode(message.unit));
    else {
      committer.flush();
      sqlite.close();
      port.close();
    }
  });
}
