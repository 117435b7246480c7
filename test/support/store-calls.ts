// Counts storage round trips: every time a request waits on its database. The harnesses wrap the
// store's driver with these when a test asks (`countTrips`), so the budget test sees what production
// would send, on both runtimes:
// - D1: each `first`/`all`/`run`/`raw` of a statement is one trip, a `batch` is one trip (drizzle's
//   reads and writes, `atomic` and `query` all arrive here).
// - better-sqlite3: each statement run outside a transaction is one trip; a transaction (an atomic
//   unit, a batch of reads) is one trip however many statements it holds. Nothing crosses a network
//   there, but a statement is what would be a trip if the same code ran against a remote database.
import type Database from 'better-sqlite3';

export interface TripCounter {
  /** Trips since the counter was made. */
  readonly trips: number;
  /** What each trip ran: its first statement's SQL (shortened), or `batch of n`. */
  readonly log: string[];
}

const short = (sql: string) => sql.replace(/\s+/g, ' ').slice(0, 140);

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
    attach: (db: Database.Database) => {
      sqlite = db;
    },
  };
}

const RAW = Symbol('raw statement');
const SQL_TEXT = Symbol('sql text');
const sqlOf = (s: D1PreparedStatement | undefined) =>
  String((s as unknown as Record<symbol, string> | undefined)?.[SQL_TEXT] ?? '');

/** The D1 binding, counting each call that reaches the database. */
export function countedD1(binding: D1Database): { binding: D1Database; counter: TripCounter } {
  const log: string[] = [];
  const EXECUTES = new Set<string | symbol>(['first', 'all', 'run', 'raw']);
  const statement = (s: D1PreparedStatement, sql: string): D1PreparedStatement =>
    new Proxy(s, {
      get(target, name) {
        if (name === RAW) return target;
        if (name === SQL_TEXT) return sql;
        const value = Reflect.get(target, name);
        if (typeof value !== 'function') return value;
        if (name === 'bind') return (...params: unknown[]) => statement(value.apply(target, params), sql);
        if (EXECUTES.has(name)) {
          return (...args: unknown[]) => {
            log.push(short(sql));
            return value.apply(target, args);
          };
        }
        return value.bind(target);
      },
    });
  const counted = new Proxy(binding, {
    get(target, name) {
      const value = Reflect.get(target, name);
      if (typeof value !== 'function') return value;
      if (name === 'prepare') return (sql: string) => statement(value.call(target, sql), sql);
      if (name === 'batch') {
        return (statements: D1PreparedStatement[]) => {
          log.push(`batch of ${statements.length}: ${short(sqlOf(statements[0]))}`);
          // The batch needs the binding's own statements, not our proxies.
          return value.call(target, statements.map(unwrap));
        };
      }
      return value.bind(target);
    },
  });
  return {
    binding: counted,
    counter: {
      get trips() {
        return log.length;
      },
      log,
    },
  };
}

function unwrap(s: D1PreparedStatement): D1PreparedStatement {
  return ((s as unknown as Record<symbol, D1PreparedStatement>)[RAW] ?? s) as D1PreparedStatement;
}
