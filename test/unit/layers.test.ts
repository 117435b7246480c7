// The floors of the house: every module of src sits on one floor and imports only from its own
// floor or the floors below. A rule that has to reach up a floor is in the wrong place: move the
// code down (or the caller up), do not add an exception here.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The map, bottom up. A path ending in "/" is a folder (with everything below it), anything else
 * one file, relative to src/.
 */
const FLOORS = [
  {
    floor: 'leaves',
    // Pure building blocks any floor may use and that use nothing of ours above them: the domain's
    // values and rules (errors, time, slots, statuses, the sliding window), crypto helpers and the
    // logger interface.
    modules: ['domain/', 'security/', 'logger.ts'],
  },
  {
    floor: 'store',
    // Tables and queries; knows nothing of bookings, clinics' rules or doors.
    modules: ['db/'],
  },
  {
    floor: 'core',
    // The booking core in the clinic's language: commands, reads, and the timed jobs as plain
    // functions (booking/); clinics and API keys (accounts/); outgoing webhook events, endpoints and
    // delivery, which the core triggers and no door shapes (webhooks/); messages to patients, queued
    // with the changes and sent through the providers (messaging/); and deps.ts, the contract of
    // what the runtime hands the core.
    modules: ['booking/', 'accounts/', 'webhooks/', 'messaging/', 'deps.ts'],
  },
  {
    floor: 'doors',
    // Each door translates one way in: the REST API (api/, with http/ as its toolkit: router, auth,
    // limits, the error envelope), the voice platforms (voice/), the same voice tools over MCP (mcp/),
    // the public booking page (web/) and the Voki-compatible API (voki/).
    modules: ['api/', 'voice/', 'mcp/', 'web/', 'http/', 'voki/'],
  },
  {
    floor: 'entries',
    // Composition and runtimes: the app (which doors, which guards), the timed jobs (which, how
    // often), configuration, and the Node, Workers and CLI entries.
    modules: ['app.ts', 'timed-jobs.ts', 'config.ts', 'node.ts', 'node/', 'worker.ts', 'worker/', 'cli.ts'],
  },
] as const;

/**
 * Doors stand side by side and do not lean on each other, except where listed: the REST door
 * manages the voice integrations and reads their calls; every door may use the HTTP toolkit; the
 * toolkit uses no door.
 */
const DOOR_NEIGHBOURS: Record<string, readonly string[]> = {
  'http/': [],
  'api/': ['http/', 'voice/'],
  'voice/': ['http/'],
  // The MCP door serves the voice door's catalogue, sessions and call log under another protocol.
  'mcp/': ['http/', 'voice/'],
  'voki/': ['http/'],
  'web/': ['http/'],
};

/**
 * Doors that reach storage only through the core (no import from db/). voice/ is not in it yet: its
 * integrations, call log and session lookup still read and write their tables themselves; they are
 * the next thing to move into a core module.
 */
const STORE_THROUGH_CORE = ['api/', 'web/', 'http/', 'voki/'];

/**
 * Imports that break the map while a refactor is under way, each with who removes it. Not a place
 * for new entries: a new upward import is fixed by moving code.
 */
const ALLOWED_FOR_NOW: { from: string; to: string; owner: string; why: string }[] = [
  // e.g. { from: 'booking/context.ts', to: 'http/errors.ts', owner: 'lead', why: 'until commands return outcomes' }
  // (that one is gone: the core answers in outcomes now).
];

const SRC = resolve(import.meta.dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/**
 * Every module specifier a file imports: static imports and re-exports (type-only included, over
 * several lines), side-effect imports, dynamic import() and require(). Statements are matched from
 * the start of a line, so a comment that mentions "from '...'" is not an import.
 */
function importsOf(code: string): string[] {
  const found: string[] = [];
  const patterns = [
    /^[ \t]*(?:import|export)\s+(?:type\s+)?[^'";]*?\bfrom\s*['"]([^'"]+)['"]/gm,
    /^[ \t]*import\s*['"]([^'"]+)['"]/gm,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const match of code.matchAll(pattern)) found.push(match[1]!);
  return found;
}

/** The map entry a module (path relative to src/) belongs to: the longest matching one. */
function placeOf(module: string): { floor: string; rank: number; prefix: string } | undefined {
  let best: { floor: string; rank: number; prefix: string } | undefined;
  FLOORS.forEach(({ floor, modules }, rank) => {
    for (const prefix of modules) {
      const matches = prefix.endsWith('/') ? module.startsWith(prefix) : module === prefix;
      if (matches && (!best || prefix.length > best.prefix.length)) best = { floor, rank, prefix };
    }
  });
  return best;
}

interface Edge {
  from: string;
  to: string;
}

/** Every import from one module of src to another, as paths relative to src/. */
function edges(): Edge[] {
  return sourceFiles(SRC).flatMap((file) =>
    importsOf(readFileSync(file, 'utf8'))
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => ({
        from: relative(SRC, file),
        to: relative(SRC, resolve(dirname(file), specifier)).replace(/\.js$/, '.ts'),
      })),
  );
}

/** What is wrong with one import, or undefined when it keeps to the map. */
function breach({ from, to }: Edge): string | undefined {
  const here = placeOf(from);
  const there = placeOf(to);
  if (!here || !there) return `${!here ? from : to} is on no floor of the map`;
  if (there.rank > here.rank) return `${here.floor} imports ${there.floor}, a floor above it`;
  const door = (place: { prefix: string }) => place.prefix.replace(/^([^/]+\/).*$/, '$1');
  if (here.floor === 'doors' && there.floor === 'doors' && door(here) !== door(there)) {
    if (!DOOR_NEIGHBOURS[door(here)]?.includes(door(there))) return `${door(here)} leans on ${door(there)}`;
  }
  if (STORE_THROUGH_CORE.includes(door(here)) && there.floor === 'store') {
    return `${door(here)} reads storage directly instead of through the core`;
  }
  return undefined;
}

const allowed = (e: Edge) => ALLOWED_FOR_NOW.some((a) => a.from === e.from && a.to === e.to);

describe('floors', () => {
  it('reads every kind of import statement', () => {
    const code = [
      "import { a } from './a.js';",
      "import type { B } from '../b.js';",
      'import {',
      '  c,',
      '  type D,',
      "} from './c.js';",
      "export { e } from './e.js';",
      "export * from './f.js';",
      "import './side-effect.js';",
      "const g = await import('./g.js');",
      "// a comment that says: comes from './not-an-import.js'",
      "const h = '/v1/*'; const i = 'x from y';",
    ].join('\n');
    expect(importsOf(code)).toEqual(
      expect.arrayContaining([
        './a.js',
        '../b.js',
        './c.js',
        './e.js',
        './f.js',
        './side-effect.js',
        './g.js',
      ]),
    );
    expect(importsOf(code)).toHaveLength(7);
  });

  it('finds the imports of src (the scan is not empty)', () => {
    const all = edges();
    expect(all.length).toBeGreaterThan(300);
    expect(all).toContainEqual({ from: 'app.ts', to: 'http/rest-door.ts' });
  });

  it('places every module of src on a floor', () => {
    const lost = sourceFiles(SRC)
      .map((file) => relative(SRC, file))
      .filter((module) => !placeOf(module));
    expect(lost).toEqual([]);
  });

  it('has no module importing from a floor above it, nor a door leaning on another', () => {
    const breaches = edges()
      .filter((e) => !allowed(e))
      .flatMap((e) => {
        const why = breach(e);
        return why ? [`${e.from} → ${e.to}: ${why}`] : [];
      });
    expect(breaches).toEqual([]);
  });

  it('lists only exceptions that are still needed', () => {
    const all = edges();
    const stale = ALLOWED_FOR_NOW.filter((a) => !all.some((e) => e.from === a.from && e.to === a.to));
    expect(stale).toEqual([]);
  });

  it('judges a breach as one', () => {
    expect(breach({ from: 'domain/time.ts', to: 'booking/find.ts' })).toMatch(/floor above/);
    expect(breach({ from: 'booking/book.ts', to: 'http/errors.ts' })).toMatch(/floor above/);
    expect(breach({ from: 'web/clinic.ts', to: 'voice/speech.ts' })).toMatch(/leans on/);
    expect(breach({ from: 'api/calls.ts', to: 'db/voice.ts' })).toMatch(/storage directly/);
    expect(breach({ from: 'api/calls.ts', to: 'voice/calls.ts' })).toBeUndefined();
    expect(breach({ from: 'node/server.ts', to: 'app.ts' })).toBeUndefined();
  });
});

describe('module state', () => {
  it('keeps no mutable state in a top-level let or var (pass it through deps)', () => {
    const offenders = sourceFiles(SRC).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/^(?:export\s+)?(?:let|var)\s+(\w+)/gm)].map(
        (m) => `${relative(SRC, file)}: ${m[1]}`,
      ),
    );
    expect(offenders).toEqual([]);
  });
});
