// The migrations a clinic's Durable Object applies when it wakes (src/db/migrations-bundle.ts) are
// drizzle/'s, exactly: a migration added without `npm run db:generate` fails here, not in an object.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { migrationsBundle } from '../../src/db/migrations-bundle.js';

const folder = new URL('../../drizzle/', import.meta.url);

describe('the migrations bundle', () => {
  const journal = JSON.parse(readFileSync(new URL('meta/_journal.json', folder), 'utf8')) as {
    entries: { idx: number; when: number; tag: string; breakpoints: boolean }[];
  };

  it('lists every migration of the journal, in order, with its time', () => {
    expect(migrationsBundle.journal.entries).toEqual(
      journal.entries.map(({ idx, when, tag, breakpoints }) => ({ idx, when, tag, breakpoints })),
    );
  });

  it("holds each migration's SQL as drizzle/ has it", () => {
    const files = Object.fromEntries(
      journal.entries.map((e) => [
        `m${String(e.idx).padStart(4, '0')}`,
        readFileSync(new URL(`${e.tag}.sql`, folder), 'utf8'),
      ]),
    );
    expect(migrationsBundle.migrations).toEqual(files);
  });
});
