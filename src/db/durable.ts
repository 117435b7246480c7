// Workers driver: the SQLite storage of a clinic's own Durable Object (src/worker/clinic-object.ts).
// The same statements as the other drivers, run in the object's thread with no network between
// the code and the data. `sql.exec` cannot run BEGIN/COMMIT, so an atomic unit is one
// `transactionSync`: synchronous like better-sqlite3's transaction, and the object runs one such
// unit at a time, so no other request interleaves with it.
//
// Change counts come from SQLite itself (`changes()`, see `execute`): the cursor's `rowsWritten` also
// counts index rows and what triggers wrote.
// Migrations come bundled with the Worker (src/db/migrations-bundle.ts, made from drizzle/) and
// are applied when the object wakes, before it serves anything.
import { drizzle } from 'drizzle-orm/durable-sqlite';
import { migrate } from 'drizzle-orm/durable-sqlite/migrator';
import { migrationsBundle } from './migrations-bundle.js';
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

export interface DurableStore extends Store {
  /** Runs read-only or changing SQL straight on the object's database (tests, maintenance). */
  raw(sql: string, ...params: unknown[]): Row[];
}

/** A store over a Durable Object's SQLite storage; applies pending migrations first. */
export async function openDurableStore(storage: DurableObjectStorage): Promise<DurableStore> {
  const db = drizzle(storage, { schema });
  await migrate(db, migrationsBundle);
  const sql = storage.sql;
  const raw = (query: string, ...params: unknown[]) =>
    sql.exec(query, ...(params as SqlStorageValue[])).toArray() as Row[];
  // A statement's own change count, as better-sqlite3 reports it: the connection's running total
  // tells whether it wrote at all (after a read, changes() would repeat the last write's count), and
  // changes() then how many rows it wrote itself, leaving out what triggers wrote (the total counts
  // those: clinic_versions' bumps, drizzle/0020_clinic_versions.sql).
  const written = () => Number(sql.exec('SELECT total_changes() AS n').one().n);
  const execute = ({ sql: text, params }: Statement): StatementResult => {
    const before = written();
    const rows = raw(text, ...params);
    if (written() === before) return { rows, changes: 0 };
    return { rows, changes: Number(sql.exec('SELECT changes() AS n').one().n) };
  };
  const outbox = outboxWatch();
  return {
    db: db as unknown as Db,
    async atomic(statements) {
      if (statements.length === 0) return [];
      return outbox.see(
        statements,
        storage.transactionSync(() => statements.map(execute)),
      );
    },
    get deliveriesQueued() {
      return outbox.deliveries;
    },
    get messagesQueued() {
      return outbox.messages;
    },
    // No network between the object and its data: the reads simply run one after the other, and no
    // other request runs in between (the object's input gate holds while none of them awaits I/O).
    batch: (async (...reads: Read<unknown>[]) => {
      const rows: unknown[][] = [];
      for (const r of reads)
        rows.push(await runRead(r, (statement) => raw(statement.sql, ...statement.params)));
      return rows;
    }) as Store['batch'],
    query: async ({ sql: text, params }) => raw(text, ...params),
    raw,
  };
}
