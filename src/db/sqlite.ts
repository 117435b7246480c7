// Node driver: better-sqlite3, migrations applied at start-up.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema.js';
import { type Db, outboxWatch, type Read, type Row, runRead, type Statement, type Store } from './store.js';
import { inThreadWriter, threadWriter } from './writer.js';
import { configureConnection, statementCache } from './writer-thread.js';

export const migrationsFolder = resolve(dirname(fileURLToPath(import.meta.url)), '../../drizzle');

export interface SqliteStore extends Store {
  sqlite: Database.Database;
  /** Closes the writer (after the units sent before) and the connection. */
  close(): Promise<void>;
}

export interface SqliteStoreOptions {
  /**
   * Sees each statement this thread's connection runs (better-sqlite3's `verbose`): reads and the
   * few writes made outside atomic units. Tests count round trips with it and `onUnit`.
   */
  onStatement?: (sql: unknown) => void;
  /** Sees each atomic unit once it committed (it ran on the writer's connection). */
  onUnit?: (statements: Statement[]) => void;
}

/** Opens (creating if needed) the SQLite file, sets safe pragmas and applies pending migrations. */
export function openSqliteStore(path: string, options: SqliteStoreOptions = {}): SqliteStore {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path, options.onStatement ? { verbose: options.onStatement } : undefined);
  configureConnection(sqlite);
  const prepare = statementCache(sqlite);
  // drizzle prepares a query built without `.prepare()` anew each time it runs (SQLite compiling the
  // same text again: 8% of a GET of one appointment). It is given the connection with a `prepare`
  // that reuses the statement of a text already seen, in the mode drizzle expects of a new one.
  const client = Object.create(sqlite, {
    prepare: {
      value: (sql: string) => {
        const stmt = prepare(sql);
        return stmt.reader ? stmt.raw(false) : stmt;
      },
    },
  }) as Database.Database;
  const db = drizzle(client, { schema });
  migrate(db, { migrationsFolder });

  const execute = ({ sql, params }: Statement): Row[] => {
    const stmt = prepare(sql);
    if (stmt.reader) return stmt.all(...params) as Row[];
    stmt.run(...params);
    return [];
  };
  // Atomic units go to the writer thread (src/db/writer-thread.ts) with its group commit; a database
  // in memory has no file to share, so there the same committer runs here.
  const writer = path === ':memory:' ? inThreadWriter(sqlite) : threadWriter(path);

  const outbox = outboxWatch();
  // Reads of a batch, in one deferred (read) transaction: one snapshot, one BEGIN/COMMIT, no await
  // in between. drizzle's better-sqlite3 queries answer synchronously.
  const readTogether = sqlite.transaction((reads: Read<unknown>[]) =>
    reads.map((r) => runRead(r, execute) as unknown[]),
  );
  return {
    db: db as unknown as Db,
    sqlite,
    atomic: (statements) =>
      writer.run(statements).then((results) => {
        options.onUnit?.(statements);
        return outbox.see(statements, results);
      }),
    get deliveriesQueued() {
      return outbox.deliveries;
    },
    get messagesQueued() {
      return outbox.messages;
    },
    batch: (async (...reads: Read<unknown>[]) =>
      reads.length === 0 ? [] : readTogether.deferred(reads)) as Store['batch'],
    query: async (statement) => execute(statement),
    close: async () => {
      await writer.close();
      sqlite.close();
    },
  };
}
