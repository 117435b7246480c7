// Counts storage round trips: every time a request waits on its database. The Node harness wraps the
// store's driver with this when a test asks (`countTrips`), for the budget test
// (test/node/round-trips.test.ts): each statement run outside a transaction is one trip; a
// transaction (an atomic unit, a batch of reads) is one trip however many statements it holds.
// Nothing crosses a network there, but a statement is what would be a trip were the database remote.
// (Inside a clinic's Durable Object, the Workers shape, the app and its data share one process.)
import type Database from 'better-sqlite3';

export interface TripCounter {
  /** Trips since the counter was made. */
  readonly trips: number;
  /** What each trip ran: its first statement's SQL (shortened), or `batch of n`. */
  readonly log: string[];
}

export const short = (sql: string) => sql.replace(/\s+/g, ' ').slice(0, 140);

/** A counter fed by better-sqlite3's `verbose` hook; `attach` hands it the database once opened. */
export function sqliteTrips() {
  const log: string[] = [];
  let sqlite: Database.Database | undefined;
  let opened = false;
  return {
    counter: {
      get trips() {
        return log.length;
      },
      log,
    } satisfies TripCounter,
    // BEGIN runs outside the transaction it opens; what follows until COMMIT runs inside it.
    onStatement: (sql: unknown) => {
      const text = String(sql);
      if (!sqlite?.inTransaction) {
        log.push(short(text));
        opened = text.startsWith('BEGIN');
      } else if (opened && !text.startsWith('SAVEPOINT')) {
        // Name the transaction by its first statement, which says what it is for.
        log[log.length - 1] = `unit: ${short(text)}`;
        opened = false;
      }
    },
    // An atomic unit runs on the writer thread's connection: one trip, named by its first statement.
    onUnit: (statements: { sql: string }[]) => {
      log.push(`unit: ${short(statements[0]?.sql ?? '(empty)')}`);
    },
    attach: (db: Database.Database) => {
      sqlite = db;
    },
  };
}

/**
 * Holds the work requests leave for after their answer (AppDeps.afterAnswer), so a test counts the
 * trips a caller waits for apart from those that follow; `run` then does the held work.
 */
export function heldAfterAnswer() {
  const held: (() => Promise<void>)[] = [];
  return {
    hold: (work: () => Promise<void>) => {
      held.push(work);
    },
    async run() {
      while (held.length) await held.shift()!();
    },
  };
}
