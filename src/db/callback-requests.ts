// Queries for callback requests (messages the voice agent took).
import { and, desc, eq, lt, or, type SQL, sql } from 'drizzle-orm';
import { callbackRequests } from './schema.js';
import type { Db } from './store.js';

export type CallbackRequestRow = typeof callbackRequests.$inferSelect;

/** Inserts the request only while `guard` holds (the command holds its key). */
export const insertCallbackRequestIf = (row: CallbackRequestRow, guard: SQL): SQL => sql`
  INSERT INTO callback_requests (id, tenant_id, call_id, caller_name, phone_hash, phone_encrypted, reason, urgency, command_id, created_at)
  SELECT ${row.id}, ${row.tenantId}, ${row.callId}, ${row.callerName}, ${row.phoneHash}, ${row.phoneEncrypted}, ${row.reason}, ${row.urgency}, ${row.commandId}, ${row.createdAt}
  WHERE ${guard}`;

/** SQL condition: this command wrote the request. */
export const callbackWrittenBy = (id: string, commandId: string): SQL =>
  sql`EXISTS (SELECT 1 FROM callback_requests WHERE id = ${id} AND command_id = ${commandId})`;

export interface CallbackFilter {
  tenantId: string;
  callId?: string;
  before?: { at: number; id: string };
  limit: number;
}

export async function listCallbackRequests(db: Db, f: CallbackFilter): Promise<CallbackRequestRow[]> {
  return db
    .select()
    .from(callbackRequests)
    .where(
      and(
        eq(callbackRequests.tenantId, f.tenantId),
        f.callId ? eq(callbackRequests.callId, f.callId) : undefined,
        f.before
          ? or(
              lt(callbackRequests.createdAt, f.before.at),
              and(eq(callbackRequests.createdAt, f.before.at), lt(callbackRequests.id, f.before.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(callbackRequests.createdAt), desc(callbackRequests.id))
    .limit(f.limit);
}

/**
 * Retention: messages older than the clinic's callRetentionDays go with the calls' transcripts (a
 * message is part of what a call left behind).
 */
export const deleteCallbackRequestsBefore = (tenantId: string, cutoff: number): SQL =>
  sql`DELETE FROM callback_requests WHERE tenant_id = ${tenantId} AND created_at < ${cutoff}`;

/** Erasure: a patient's messages (by the phone hashes being erased) are deleted, in the erasure's unit. */
export const deleteCallbackRequestsOf = (tenantId: string, hashes: SQL, guard: SQL): SQL =>
  sql`DELETE FROM callback_requests WHERE tenant_id = ${tenantId} AND phone_hash IN ${hashes} AND ${guard}`;
