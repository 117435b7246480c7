// Queries of the phone re-hash job (src/accounts/phone-rehash.ts): a clinic's rows in id order from
// a cursor, and guarded rewrites. Every rewrite names the value it read (compare-and-set), so a
// runner that read a row before someone else changed it (another runner, an erasure, a changed
// phone) writes nothing: racing runners can only do a row once, and never undo another's write.
import { and, asc, eq, gt, isNotNull, type SQL, sql } from 'drizzle-orm';
import { appointments, calls, tenants } from './schema.js';
import type { Db } from './store.js';

/** A row that may hold a legacy hash: its id, stored hash and sealed number (null when none is kept). */
export interface HashedRow {
  id: string;
  hash: string;
  sealed: string | null;
  /** Calls only: what the sealed number is bound to. */
  integrationId?: string;
  externalCallId?: string;
}

export const REHASH_TABLES = ['appointments', 'calls'] as const;
export type RehashTable = (typeof REHASH_TABLES)[number];

/** Clinics whose rows may still hold legacy hashes, with where the job stopped in each. */
export async function clinicsWithLegacyHashes(db: Db, limit: number) {
  return db
    .select({ id: tenants.id, cursor: tenants.phoneRehashCursor })
    .from(tenants)
    .where(eq(tenants.legacyPhoneHashes, true))
    .orderBy(asc(tenants.createdAt), asc(tenants.id))
    .limit(limit);
}

/** The next `limit` rows of a clinic's table after `afterId`, in id order. */
export async function rowsAfter(
  db: Db,
  table: RehashTable,
  tenantId: string,
  afterId: string,
  limit: number,
): Promise<HashedRow[]> {
  if (table === 'appointments') {
    return db
      .select({
        id: appointments.id,
        hash: appointments.patientPhoneHash,
        sealed: appointments.patientPhoneEncrypted,
      })
      .from(appointments)
      .where(and(eq(appointments.tenantId, tenantId), gt(appointments.id, afterId)))
      .orderBy(asc(appointments.id))
      .limit(limit);
  }
  const rows = await db
    .select({
      id: calls.id,
      hash: calls.fromNumberHash,
      sealed: calls.fromNumberEncrypted,
      integrationId: calls.integrationId,
      externalCallId: calls.externalCallId,
    })
    .from(calls)
    .where(and(eq(calls.tenantId, tenantId), gt(calls.id, afterId), isNotNull(calls.fromNumberHash)))
    .orderBy(asc(calls.id))
    .limit(limit);
  return rows as HashedRow[];
}

/** Rewrites one row's hash, only if it still holds what was read (the hash and the sealed number). */
export function rehashRow(table: RehashTable, tenantId: string, row: HashedRow, to: string): SQL {
  return table === 'appointments'
    ? sql`UPDATE appointments SET patient_phone_hash = ${to}
        WHERE tenant_id = ${tenantId} AND id = ${row.id}
          AND patient_phone_hash = ${row.hash} AND patient_phone_encrypted = ${row.sealed}`
    : sql`UPDATE calls SET from_number_hash = ${to}
        WHERE tenant_id = ${tenantId} AND id = ${row.id}
          AND from_number_hash = ${row.hash} AND from_number_encrypted = ${row.sealed}`;
}

/**
 * Calls whose sealed number retention already dropped keep only the hash; where it is a legacy hash
 * the job has just mapped (from a row that still has the number), they follow it.
 */
export const rehashUnsealedCalls = (tenantId: string, from: string, to: string): SQL =>
  sql`UPDATE calls SET from_number_hash = ${to}
    WHERE tenant_id = ${tenantId} AND from_number_hash = ${from} AND from_number_encrypted IS NULL`;

/** Moves the clinic's cursor from where this runner found it; another runner's move wins. */
export const moveCursor = (tenantId: string, from: string | null, to: string): SQL =>
  sql`UPDATE tenants SET phone_rehash_cursor = ${to}
    WHERE id = ${tenantId} AND legacy_phone_hashes = 1 AND phone_rehash_cursor IS ${from}`;

/** The clinic's rows all hold per-clinic hashes: lookups stop computing the legacy ones. */
export const finishClinic = (tenantId: string, from: string | null): SQL =>
  sql`UPDATE tenants SET legacy_phone_hashes = 0, phone_rehash_cursor = NULL
    WHERE id = ${tenantId} AND legacy_phone_hashes = 1 AND phone_rehash_cursor IS ${from}`;
