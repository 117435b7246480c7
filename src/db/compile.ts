// Compiling a drizzle `sql` template to SQLite text and parameters, on the write path's hot loop.
//
// Every atomic unit is a handful of such templates (the appointment insert alone has some 30 columns),
// compiled on every request. drizzle's own walk asks `is(chunk, Kind)` of each chunk for up to a dozen
// kinds, each a walk up the prototype chain: 6–10% of the request thread on a booking. This walk
// recognises the few kinds the core's statements are made of by their constructor and hands anything
// else (placeholders, views, subqueries, aliases, inlined params, schema-qualified tables) to drizzle,
// so its output is drizzle's byte for byte (test/unit/compile.test.ts compares the two).
import {
  Column,
  entityKind,
  getTableName,
  Name,
  Param,
  SQL,
  type SQL as SQLType,
  StringChunk,
  Table,
} from 'drizzle-orm';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import { Fragment, fragmentOf } from './fragment.js';

export interface Compiled {
  sql: string;
  params: unknown[];
}

const dialect = new SQLiteSyncDialect();

/** A chunk this walk does not know: the whole statement goes to drizzle instead. */
class Unknown {}
const UNKNOWN = new Unknown();

const escapeName = (name: string) => `"${name.replace(/"/g, '""')}"`;

// drizzle's own marks on a table (registered symbols): a schema-qualified table is left to drizzle.
const SCHEMA = Symbol.for('drizzle:Schema');
const IS_ALIAS = Symbol.for('drizzle:IsAlias');
const unqualified = (table: Table) => {
  const marks = table as unknown as Record<symbol, unknown>;
  return marks[SCHEMA] === undefined || marks[IS_ALIAS] === true;
};

type Chunk = unknown;

function walk(chunks: Chunk[], out: { text: string; params: unknown[] }) {
  for (const chunk of chunks) {
    if (chunk === undefined) continue;
    if (chunk === null || typeof chunk !== 'object') {
      // A value written straight into the template: a parameter, as drizzle binds it.
      out.text += '?';
      out.params.push(chunk);
      continue;
    }
    const kind = (chunk as object).constructor;
    if (kind === Fragment) {
      // Already text (src/db/fragment.ts).
      out.text += (chunk as Fragment).text;
      for (const p of (chunk as Fragment).params) out.params.push(p);
    } else if (kind === StringChunk) {
      out.text += (chunk as StringChunk).value.join('');
    } else if (kind === SQL) {
      if ((chunk as unknown as { shouldInlineParams: boolean }).shouldInlineParams) throw UNKNOWN;
      walk((chunk as SQLType).queryChunks, out);
    } else if (kind === Param) {
      const { value, encoder } = chunk as Param;
      if (value !== null && typeof value === 'object' && entityKind in (value.constructor ?? {}))
        throw UNKNOWN;
      const mapped = value === null ? null : encoder.mapToDriverValue(value);
      if (mapped instanceof SQL) walk([mapped], out);
      else {
        out.text += '?';
        out.params.push(mapped);
      }
    } else if (kind === Name) {
      out.text += escapeName((chunk as Name).value);
    } else if (Array.isArray(chunk)) {
      out.text += '(';
      chunk.forEach((item, i) => {
        if (i > 0) out.text += ', ';
        walk([item], out);
      });
      out.text += ')';
    } else if (chunk instanceof Column) {
      // A column named by its key follows the dialect's casing: drizzle's business.
      if (!unqualified(chunk.table) || chunk.keyAsName) throw UNKNOWN;
      out.text += `${escapeName(getTableName(chunk.table))}.${escapeName(chunk.name)}`;
    } else if (chunk instanceof Table) {
      if (!unqualified(chunk)) throw UNKNOWN;
      out.text += escapeName(getTableName(chunk));
    } else if (kind === Object || kind === Date || chunk instanceof Uint8Array) {
      // A plain value (a JSON object, a date, bytes): a parameter, as drizzle binds it.
      out.text += '?';
      out.params.push(chunk);
    } else {
      throw UNKNOWN;
    }
  }
}

/** The walk alone: undefined when the template holds a chunk it leaves to drizzle. */
export function compileQuickly(query: SQLType): Compiled | undefined {
  const out = { text: '', params: [] as unknown[] };
  try {
    walk([query], out);
  } catch (error) {
    if (error === UNKNOWN) return undefined;
    throw error;
  }
  return { sql: out.text, params: out.params };
}

/** Compiles a drizzle `sql` template into SQL text and parameters (booleans become 0/1). */
export function compile(query: SQLType): Compiled {
  // A statement made whole by `q`: its kept text as it is (one string per shape, hashed once).
  const fragment = fragmentOf(query);
  let compiled: Compiled | undefined = fragment && { sql: fragment.text, params: fragment.params };
  compiled ??= compileQuickly(query);
  if (!compiled) {
    const { sql, params } = dialect.sqlToQuery(query);
    compiled = { sql, params };
  }
  const { params } = compiled;
  for (let i = 0; i < params.length; i++) if (typeof params[i] === 'boolean') params[i] = params[i] ? 1 : 0;
  return compiled;
}
