// Workers driver: D1. The same statements as the Node driver; an atomic unit is one D1 `batch`,
// which D1 runs as a single transaction (all statements commit, or none do).
//
// One difference in results: a statement with RETURNING reports its change count here, while
// better-sqlite3 reports 0 for any statement that returns rows. No caller reads both.
import { fillPlaceholders } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import * as schema from './schema.js';
import { type Db, outboxWatch, type Read, type Row, type Statement, type Store } from './store.js';

/**
 * What a batch uses of drizzle's D1 prepared query (its own `batch` does the same): the statement,
 * the parameters with placeholders, and the decoding of a batch result (`true`: rows as objects).
 */
interface D1Read {
  stmt: D1PreparedStatement;
  getQuery(): { params: unknown[] };
  mapAllResult(result: unknown, fromBatch: true): unknown[];
}

/** Hosted D1 rejects a statement with more bound parameters than this; local D1 does not. */
export const D1_MAX_PARAMETERS = 100;

/** A store over a D1 binding; migrations are applied by `wrangler d1 migrations apply`. */
export function openD1Store(binding: D1Database): Store {
  const d1 = withParameterLimit(binding);
  const prepare = ({ sql, params }: Statement) => d1.prepare(sql).bind(...params);
  const outbox = outboxWatch();
  return {
    db: drizzle(d1, { schema }) as unknown as Db,
    async atomic(statements) {
      if (statements.length === 0) return [];
      const results = await d1.batch<Row>(statements.map(prepare));
      return outbox.see(
        statements,
        results.map((result) => ({ rows: result.results ?? [], changes: result.meta?.changes ?? 0 })),
      );
    },
    get deliveriesQueued() {
      return outbox.deliveries;
    },
    get messagesQueued() {
      return outbox.messages;
    },
    batch: (async (...reads: Read<unknown>[]) => {
      if (reads.length === 0) return [];
      const queries = reads.map((r) => r.query as unknown as D1Read);
      const results = await d1.batch(
        queries.map((q, i) => q.stmt.bind(...fillPlaceholders(q.getQuery().params, reads[i]!.values))),
      );
      return results.map((result, i) => queries[i]!.mapAllResult(result, true));
    }) as Store['batch'],
    query: async (statement) => (await prepare(statement).all<Row>()).results ?? [],
  };
}

// Applies hosted D1's parameter limit everywhere (drizzle's queries included), so that a statement
// that production would reject fails the local tests too instead of passing there unnoticed.
function withParameterLimit(d1: D1Database): D1Database {
  const own = <T extends object>(target: T, property: string | symbol) => {
    const value = Reflect.get(target, property);
    return typeof value === 'function' ? value.bind(target) : value;
  };
  return new Proxy(d1, {
    get(target, property) {
      if (property !== 'prepare') return own(target, property);
      return (sql: string) =>
        new Proxy(target.prepare(sql), {
          get(statement, name) {
            if (name !== 'bind') return own(statement, name);
            return (...values: unknown[]) => {
              if (values.length > D1_MAX_PARAMETERS) {
                throw new Error(
                  `D1 allows ${D1_MAX_PARAMETERS} bound parameters per statement, this one has ${values.length}: ${sql.slice(0, 80)}`,
                );
              }
              return statement.bind(...values);
            };
          },
        });
    },
  });
}
