// The D1 side of the round-trip counter (test/support/store-calls.ts says what counts).
import { short, type TripCounter } from './store-calls.js';

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
