// A copy of the migrations folder that stops at one migration, journal included: a database built
// from it holds the schema as it was then, for tests of the migrations after it (Node only).
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrationsFolder } from '../../src/db/sqlite.js';

/** The folder (made under `dir`) holding only the migrations up to `last`. */
export function migrationsUpTo(dir: string, last: string): string {
  const folder = join(dir, `drizzle-up-to-${last}`);
  mkdirSync(join(folder, 'meta'), { recursive: true });
  const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta/_journal.json'), 'utf8'));
  const end = journal.entries.findIndex((e: { tag: string }) => e.tag === last);
  if (end < 0) throw new Error(`No migration ${last}`);
  journal.entries = journal.entries.slice(0, end + 1);
  for (const { tag } of journal.entries)
    copyFileSync(join(migrationsFolder, `${tag}.sql`), join(folder, `${tag}.sql`));
  writeFileSync(join(folder, 'meta/_journal.json'), JSON.stringify(journal));
  return folder;
}
