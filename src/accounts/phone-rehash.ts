// Re-hashing stored phone hashes from the old shared key to each clinic's own key (issue 10 #11).
// Rows written before per-clinic keys hold `HMAC(configured key, number)`, which is the same in every
// clinic; while a clinic may hold any, its lookups compute that legacy hash as well
// (`legacyPhoneHashes` on the clinic, read by the phone vault). This job goes through each such
// clinic's appointments, then its calls, in id order and in small batches: it opens the sealed
// number of each row, and where the stored hash is a legacy one it writes the clinic's hash instead.
// When a clinic's last batch is done its flag goes off and its lookups compute one hash per key.
//
// Resumable: the clinic keeps a cursor (`<table>:<last id>`), moved in the same atomic unit as the
// batch's rewrites, so a runner that stops midway leaves the next one where it stopped, and a batch
// done twice changes nothing the second time. Safe under racing runners: every rewrite is a
// compare-and-set on the hash and sealed number it read (src/db/phone-rehash.ts), and the cursor
// moves only from where the runner found it.
//
// What it cannot rewrite: a row whose sealed number is gone or was sealed under a retired key. An
// erased or anonymised row already holds a mark, not a hash. A call whose number retention dropped
// follows the legacy hash of the same number when another row of the clinic still has that number;
// one that does not keeps its old hash, which after the job no lookup matches (it is past the
// clinic's call retention and names nobody the clinic can look up).

import { appointmentSeal } from '../booking/book.js';
import {
  clinicsWithLegacyHashes,
  finishClinic,
  type HashedRow,
  moveCursor,
  REHASH_TABLES,
  type RehashTable,
  rehashRow,
  rehashUnsealedCalls,
  rowsAfter,
} from '../db/phone-rehash.js';
import { compile } from '../db/store.js';
import { callerContext } from '../db/voice.js';
import type { AppDeps } from '../deps.js';

/** Rows per batch (one atomic unit) and per run of the timed jobs: small, so a tick stays short. */
export const REHASH_BATCH = 100;
export const REHASH_ROWS_PER_RUN = 1_000;

export interface RehashReport {
  /** Rows given the clinic's hash instead of the legacy one (by this runner). */
  rehashed: number;
  /** Clinics whose rows are all done in this run. */
  clinicsFinished: number;
}

type Position = { table: RehashTable; after: string };

const readCursor = (cursor: string | null): Position => {
  if (cursor === null) return { table: REHASH_TABLES[0], after: '' };
  const at = cursor.indexOf(':');
  return { table: cursor.slice(0, at) as RehashTable, after: cursor.slice(at + 1) };
};
const writeCursor = (p: Position) => `${p.table}:${p.after}`;

const sealContext = (table: RehashTable, tenantId: string, row: HashedRow) =>
  table === 'appointments'
    ? appointmentSeal(tenantId, row.id)
    : callerContext({ tenantId, integrationId: row.integrationId!, externalCallId: row.externalCallId! });

/** The clinic's hash for a row still under a legacy one; undefined when there is nothing to do. */
async function clinicHashFor(deps: AppDeps, table: RehashTable, tenantId: string, row: HashedRow) {
  if (row.sealed === null) return undefined;
  let number: string;
  try {
    number = await deps.vault.decrypt(row.sealed, sealContext(table, tenantId, row));
  } catch {
    return undefined; // a mark (erased, anonymised) or a retired encryption key: nothing to open
  }
  if (!(await deps.vault.legacyHashes(number)).includes(row.hash)) return undefined;
  return deps.vault.hash(number, tenantId);
}

/**
 * One batch of one clinic from `cursor`, as one atomic unit. Returns the rows rewritten and whether
 * this runner moved the cursor (false: another runner got there first, leave the clinic to it).
 */
export async function rehashBatch(
  deps: AppDeps,
  tenantId: string,
  cursor: string | null,
  limit = REHASH_BATCH,
) {
  let at = readCursor(cursor);
  let rows = await rowsAfter(deps.store.db, at.table, tenantId, at.after, limit);
  // A table done: the next one from its start, in the same unit (the cursor names where to go on).
  while (rows.length === 0) {
    const next = REHASH_TABLES[REHASH_TABLES.indexOf(at.table) + 1];
    if (!next) {
      const [finished] = await deps.store.atomic([compile(finishClinic(tenantId, cursor))]);
      return { rehashed: 0, moved: (finished?.changes ?? 0) > 0, finished: true, cursor: null };
    }
    at = { table: next, after: '' };
    rows = await rowsAfter(deps.store.db, at.table, tenantId, at.after, limit);
  }
  const rewrites = [];
  for (const row of rows) {
    const to = await clinicHashFor(deps, at.table, tenantId, row);
    if (to === undefined) continue;
    rewrites.push(rehashRow(at.table, tenantId, row, to), rehashUnsealedCalls(tenantId, row.hash, to));
  }
  const position = writeCursor({ table: at.table, after: rows.at(-1)!.id });
  const results = await deps.store.atomic([...rewrites, moveCursor(tenantId, cursor, position)].map(compile));
  const rehashed = results
    .slice(0, -1)
    .filter((_, i) => i % 2 === 0)
    .reduce((n, r) => n + r.changes, 0);
  return { rehashed, moved: (results.at(-1)?.changes ?? 0) > 0, finished: false, cursor: position };
}

/** Runs batches across the clinics that still need it, up to `rowsPerRun` rows looked at. */
export async function rehashLegacyPhoneHashes(
  deps: AppDeps,
  rowsPerRun = REHASH_ROWS_PER_RUN,
  batch = REHASH_BATCH,
): Promise<RehashReport> {
  const report: RehashReport = { rehashed: 0, clinicsFinished: 0 };
  let budget = rowsPerRun;
  for (const clinic of await clinicsWithLegacyHashes(deps.store.db, 20)) {
    let cursor = clinic.cursor;
    while (budget > 0) {
      const step = await rehashBatch(deps, clinic.id, cursor, Math.min(batch, budget));
      budget -= batch;
      report.rehashed += step.rehashed;
      if (step.finished) {
        if (step.moved) report.clinicsFinished++;
        break;
      }
      if (!step.moved) break; // another runner is on this clinic
      cursor = step.cursor;
    }
    if (budget <= 0) break;
  }
  return report;
}
