// Node driver: better-sqlite3, migrations applied at start-up.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema.js';
import {
  type Db,
  outboxWatch,
  type Read,
  type Row,
  runRead,
  type Statement,
  type StatementResult,
  type Store,
} from './store.js';

export const migrationsFolder = resolve(dirname(fileURLToPath(import.meta.url)), '../../drizzle');

export interface SqliteStore extends Store {
  sqlite: Database.Database;
  close(): void;
}

export interface SqliteStoreOptions {
  /** Sees each statement's SQL as it runs (better-sqlite3's `verbose`); tests count round trips with it. */
  onStatement?: (sql: unknown) => void;
}

/** Opens (creating if needed) the SQLite file, sets safe pragmas and applies pending migrations. */
export function openSqliteStore(path: string, options: SqliteStoreOptions = {}): SqliteStore {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path, options.onStatement ? { verbose: options.onStatement } : undefined);
  sqlite.pragma('journal_mode = WAL');
  // FULL: an acknowledged booking survives power loss, not only a process crash.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  // Other processes (CLI, a second server) may hold the write lock for a moment.
  sqlite.pragma('busy_timeout = 5000');
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder });

  const prepared = new Map<string, Database.Statement>();
  const prepare = (sql: string) => {
    let stmt = prepared.get(sql);
    if (!stmt) {
      stmt = sqlite.prepare(sql);
      if (prepared.size > 500) prepared.clear();
      prepared.set(sql, stmt);
    }
    return stmt;
  };
  const execute = ({ sql, params }: Statement): StatementResult => {
    const stmt = prepare(sql);
    if (stmt.reader) return { rows: stmt.all(...params) as Row[], changes: 0 };
    return { rows: [], changes: stmt.run(...params).changes };
  };
  // Group commit. Units that arrive in the same turn of the event loop run in one transaction, each
  // inside its own savepoint (a nested better-sqlite3 transaction): a unit that fails rolls back
  // alone, the others stand. One COMMIT (one fsync) then makes the whole group durable, and only
  // then does any unit answer. Under load this turns "one fsync per booking" into "one per batch".
  const unit = sqlite.transaction((statements: Statement[]) => statements.map(execute));
  type Pending = {
    statements: Statement[];
    done: (r: StatementResult[]) => void;
    fail: (e: unknown) => void;
  };
  let queue: Pending[] = [];
  // IMMEDIATE takes the write lock up front: a deferred transaction that upgrades would fail with
  // SQLITE_BUSY at once, whatever the busy timeout (another process, e.g. the CLI, may write too).
  const group = sqlite.transaction((units: Pending[]) =>
    units.map((u) => {
      try {
        return { ok: true as const, results: unit(u.statements) };
      } catch (error) {
        return { ok: false as const, error };
      }
    }),
  );
  const flush = () => {
    const units = queue;
    queue = [];
    let outcomes: ReturnType<typeof group>;
    try {
      outcomes = group.immediate(units);
    } catch (error) {
      // BEGIN or COMMIT failed (disk full, lock timeout): nothing of the group was written.
      for (const u of units) u.fail(error);
      return;
    }
    outcomes.forEach((o, i) => {
      if (o.ok) units[i]!.done(o.results);
      else units[i]!.fail(o.error);
    });
  };

  const outbox = outboxWatch();
  // Reads of a batch, in one deferred (read) transaction: one snapshot, one BEGIN/COMMIT, no await
  // in between. drizzle's better-sqlite3 queries answer synchronously.
  const readTogether = sqlite.transaction((reads: Read<unknown>[]) =>
    reads.map((r) => runRead(r, (statement) => execute(statement).rows) as unknown[]),
  );
  return {
    db: db as unknown as Db,
    sqlite,
    atomic: (statements) =>
      new Promise<StatementResult[]>((done, fail) => {
        if (queue.push({ statements, done, fail }) === 1) setImmediate(flush);
      }).then((results) => outbox.see(statements, results)),
    get deliveriesQueued() {
      return outbox.deliveries;
    },
    get messagesQueued() {
      return outbox.messages;
    },
    batch: (async (...reads: Read<unknown>[]) =>
      reads.length === 0 ? [] : readTogether.deferred(reads)) as Store['batch'],
    query: async (statement) => execute(statement).rows,
    close: () => sqlite.close(),
  };
}
