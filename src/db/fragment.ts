// SQL for the write path, composed as text once per shape.
//
// An atomic unit is rebuilt on every request from drizzle `sql` templates: dozens of drizzle objects
// per statement (each chunk asked `is(chunk, Table)` up its prototype chain), then walked into text
// (src/db/compile.ts), then the text hashed again to find its number on the wire to the writer
// (src/db/writer.ts). On a booking that was a fifth of the request thread. A statement's text
// depends only on its shape (which template, which pieces where), so `q` keeps the text per shape
// and a request only gathers its parameters. The text `q` gives for a shape is always the same
// string object: what hashes it (the wire's numbering, the statement cache) pays once.
//
// A `q` fragment is a drizzle `SQL` (one chunk: the Fragment) and mixes with `sql` both ways: a
// drizzle template may hold a fragment, and a fragment may hold drizzle SQL, compiled on the spot
// (that part then costs what it did before; its text keys the shape).
import { type SQL, sql } from 'drizzle-orm';
// A cycle on purpose: each side uses the other only inside functions, never while loading.
import { keptUpTo } from '../domain/kept.js';
import { compile } from './compile.js';

/** SQLite text with its parameters in order, and what it was made of (for drizzle). */
export class Fragment {
  constructor(
    readonly text: string,
    readonly params: unknown[],
    /** A template's strings; for a join, its separator; for a list of values, `list`. */
    private readonly made: { strings: readonly string[] } | { separator: string } | { list: true },
    private readonly values: unknown[],
  ) {}

  /**
   * For drizzle's own compiler, which reaches a fragment only when a drizzle query holding one runs
   * through drizzle (a read with a fragment as a condition): the same SQL as drizzle objects.
   */
  getSQL(): SQL {
    const { made, values } = this;
    if ('list' in made)
      return sql.join(
        values.map((v) => sql`${v}`),
        sql`, `,
      );
    return 'separator' in made
      ? sql.join(values as SQL[], sql.raw(made.separator))
      : sql(made.strings as TemplateStringsArray, ...(values as never[]));
  }

  /** The fragment's text stands as written: no parentheses added around it. */
  shouldOmitSQLParens() {
    return true;
  }
}

/** The fragment a `q` result carries, if `value` is one. */
export function fragmentOf(value: unknown): Fragment | undefined {
  const chunks = (value as { queryChunks?: unknown[] } | null)?.queryChunks;
  return chunks?.length === 1 && chunks[0] instanceof Fragment ? chunks[0] : undefined;
}

// Shapes: a trie per template, one step per interpolated value, keyed by the value's text (a fragment)
// or PARAM (a bound value). Texts of fragments are themselves kept strings, so each step is one map
// lookup of an already hashed key.
interface Shape {
  text?: string;
  next?: Map<unknown, Shape>;
}
const PARAM = Symbol('param');
const NOTHING = Symbol('nothing');
/** Past this many shapes (texts that vary, like IN lists of many lengths) the kept texts start over. */
const SHAPE_LIMIT = 20_000;
const kept = {
  /** Per template (its strings array, the same object at every call of one tagged template). */
  templates: new WeakMap<object, Shape>(),
  /** Per join separator. */
  joins: new Map<string, Shape>(),
  shapes: 0,
};

function step(node: Shape, key: unknown): Shape {
  node.next ??= new Map();
  let next = node.next.get(key);
  if (next === undefined) {
    if (++kept.shapes > SHAPE_LIMIT) {
      // Only roots start over: a walk under way finishes on its own nodes, then drops them.
      kept.templates = new WeakMap();
      kept.joins = new Map();
      kept.shapes = 0;
    }
    next = {};
    node.next.set(key, next);
  }
  return next;
}

/** What a value contributes: a piece of text with its parameters, PARAM (one `?`), or NOTHING. */
function pieceOf(
  value: unknown,
): Fragment | { text: string; params: unknown[] } | typeof PARAM | typeof NOTHING {
  if (value === undefined) return NOTHING; // as drizzle: an undefined chunk writes nothing
  if (value === null || typeof value !== 'object') return PARAM;
  const fragment = fragmentOf(value);
  if (fragment) return fragment;
  const kind = (value as object).constructor;
  if (kind === Object || kind === Date || value instanceof Uint8Array) return PARAM;
  // Anything else of drizzle's (SQL, a column, a name, a list): compiled as drizzle would.
  const { sql: text, params } = compile(sql`${value as SQL}`);
  return { text, params };
}

type Made = Exclude<ConstructorParameters<typeof Fragment>[2], { list: true }>;

function textOf(made: Made, pieces: ReturnType<typeof pieceOf>[]) {
  const separator = 'separator' in made ? made.separator : undefined;
  let text = 'strings' in made ? made.strings[0]! : '';
  pieces.forEach((piece, i) => {
    if (separator !== undefined && i > 0) text += separator;
    if (piece === PARAM) text += '?';
    else if (piece !== NOTHING) text += piece.text;
    if ('strings' in made) text += made.strings[i + 1];
  });
  return text;
}

/** The fragment as drizzle SQL of one chunk, which src/db/compile.ts and `q` recognise. */
const asSql = (fragment: Fragment): SQL => sql.fromList([fragment as never]);

function fragment(root: Shape, made: Made, values: unknown[]): SQL {
  const pieces = values.map(pieceOf);
  const params: unknown[] = [];
  let node = root;
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i]!;
    if (piece === PARAM) {
      params.push(values[i]);
      node = step(node, PARAM);
    } else if (piece === NOTHING) {
      node = step(node, NOTHING);
    } else {
      for (const p of piece.params) params.push(p);
      node = step(node, piece.text);
    }
  }
  node.text ??= textOf(made, pieces);
  return asSql(new Fragment(node.text, params, made, values));
}

/**
 * A template tag like drizzle's `sql` for the statements of atomic units: `${value}` binds a value,
 * `${fragment}` splices another `q` fragment (or drizzle SQL) in. Its text is kept per shape.
 */
export function q(strings: TemplateStringsArray, ...values: unknown[]): SQL {
  let root = kept.templates.get(strings);
  if (root === undefined) {
    root = {};
    kept.templates.set(strings, root);
  }
  return fragment(root, { strings }, values);
}

/** Fragments one after another with `separator` (a constant text) between them, like `sql.join`. */
q.join = (list: SQL[], separator: string): SQL => {
  let root = kept.joins.get(separator);
  if (root === undefined) {
    root = {};
    kept.joins.set(separator, root);
  }
  return fragment(root, { separator }, list);
};

const placeholders = keptUpTo<number, string>(1000);

/** Values bound one after another, `?, ?, ?` (a row of an INSERT): one text per length. */
q.list = (values: unknown[]): SQL => {
  const text = placeholders(values.length, () => values.map(() => '?').join(', '));
  return asSql(new Fragment(text, values, { list: true }, values));
};

/** A constant piece of SQL text (a table's name chosen in code): never a value from outside. */
q.raw = (text: string): SQL => asSql(new Fragment(text, [], { strings: [text] }, []));
