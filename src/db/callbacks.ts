// Statements of outbound callbacks (POST /v1/calls/{id}/callback). The row is written in the same
// atomic unit that claims the Idempotency-Key, and only while this request holds the claim and the
// call is under its callback limit, so parallel requests with one key place one call.
import { type SQL, sql } from 'drizzle-orm';
import type { CallbackStatus } from '../domain/vocabulary.js';

export interface NewCallback {
  id: string;
  tenantId: string;
  callId: string;
  integrationId: string;
  platform: string;
  actor: string;
}

/** Callbacks of one call that count against its limit: placed or being placed since `since`. */
const counted = (tenantId: string, callId: string, since: number): SQL => sql`
  SELECT count(*) FROM callbacks WHERE tenant_id = ${tenantId} AND call_id = ${callId}
    AND status != 'failed' AND created_at >= ${since}`;

/** Inserts the callback as `dialing` when `guard` holds and the call has fewer than `limit` since `since`. */
export const insertCallback = (
  c: NewCallback,
  guard: SQL,
  limit: number,
  since: number,
  now: number,
): SQL => sql`
  INSERT INTO callbacks (id, tenant_id, call_id, integration_id, platform, status, actor, created_at, updated_at)
  SELECT ${c.id}, ${c.tenantId}, ${c.callId}, ${c.integrationId}, ${c.platform}, 'dialing', ${c.actor}, ${now}, ${now}
  WHERE ${guard} AND (${counted(c.tenantId, c.callId, since)}) < ${limit}`;

/** SQL condition: the callback row exists (it was admitted). */
export const callbackWritten = (id: string): SQL => sql`EXISTS (SELECT 1 FROM callbacks WHERE id = ${id})`;

export const selectCallbackWritten = (id: string): SQL => sql`SELECT ${callbackWritten(id)} AS written`;

/** When the oldest counted callback leaves the window (for Retry-After), in epoch ms. */
export const oldestCounted = (tenantId: string, callId: string, since: number): SQL => sql`
  SELECT min(created_at) AS oldest FROM callbacks WHERE tenant_id = ${tenantId} AND call_id = ${callId}
    AND status != 'failed' AND created_at >= ${since}`;

export const settleCallback = (
  id: string,
  status: Exclude<CallbackStatus, 'dialing'>,
  now: number,
  fields: { externalCallId?: string | null; failure?: string | null },
): SQL => sql`
  UPDATE callbacks SET status = ${status}, external_call_id = ${fields.externalCallId ?? null},
    failure = ${fields.failure ?? null}, updated_at = ${now}
  WHERE id = ${id}`;

/** Gives the key back when the callback was not admitted (over the limit): a later retry is new. */
export const releaseIfNotAdmitted = (
  ref: { tenantId: string; key: string },
  claim: string,
  id: string,
): SQL => sql`
  DELETE FROM idempotency_keys
  WHERE tenant_id = ${ref.tenantId} AND key = ${ref.key} AND claim = ${claim}
    AND NOT ${callbackWritten(id)}`;
