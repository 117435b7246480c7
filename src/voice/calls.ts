// The calls the voice platforms reported, as the clinic reads them back: newest first, a page at a
// time, and one call with its events in order. The caller's number is decrypted here (the door
// never sees the sealed value); instants stay epoch milliseconds for the door to render.
import type { Tenant } from '../accounts/tenants.js';
import { decodeCursor, encodeCursor } from '../booking/cursor.js';
import {
  type CallEventRow,
  type CallFilter,
  type CallRow,
  findCall,
  listCallEvents,
  listCalls,
} from '../db/voice.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../domain/errors.js';
import { callerContext } from './session.js';

export interface CallRecord {
  id: string;
  platform: string;
  externalCallId: string;
  /** The caller's number, or null when withheld. */
  fromNumber: string | null;
  /** The caller's keyed phone hash (the patient handle), or null when withheld. */
  fromNumberHash: string | null;
  toNumber: string | null;
  status: string;
  outcome: string | null;
  endedReason: string | null;
  startedAt: number;
  endedAt: number | null;
  durationSeconds: number | null;
  transcriptionWordCount: number | null;
  recordingUrl: string | null;
  metadata: Record<string, unknown>;
}

export interface CallEventRecord {
  id: string;
  eventType: string;
  /** 1, 2, 3… in the order the events happened. */
  sequence: number;
  role: string | null;
  transcript: string | null;
  toolName: string | null;
  toolInput: unknown;
  toolOutput: unknown;
  occurredAt: number;
}

export interface CallQuery extends Omit<CallFilter, 'tenantId' | 'before'> {
  cursor?: string;
}

async function recordOf(deps: Pick<AppDeps, 'vault'>, row: CallRow): Promise<CallRecord> {
  return {
    id: row.id,
    platform: row.platform,
    externalCallId: row.externalCallId,
    fromNumber: row.fromNumberEncrypted
      ? await deps.vault.decrypt(row.fromNumberEncrypted, callerContext(row))
      : null,
    fromNumberHash: row.fromNumberHash,
    toNumber: row.toNumber,
    status: row.status,
    outcome: row.outcome,
    endedReason: row.endedReason,
    startedAt: row.startedAt,
    endedAt: row.endedAt,
    durationSeconds: row.durationSeconds,
    transcriptionWordCount: row.transcriptionWordCount,
    recordingUrl: row.recordingUrl,
    metadata: row.metadata,
  };
}

const eventOf = (e: CallEventRow, sequence: number): CallEventRecord => ({
  id: e.id,
  eventType: e.eventType,
  sequence,
  role: e.role,
  transcript: e.transcript,
  toolName: e.toolName,
  toolInput: e.toolInput ?? null,
  toolOutput: e.toolOutput ?? null,
  occurredAt: e.occurredAt,
});

/** One page of the clinic's calls, newest first, with the cursor of the next page (null at the end). */
export async function findCalls(
  deps: AppDeps,
  tenant: Tenant,
  { cursor, limit, ...filter }: CallQuery,
): Promise<{ items: CallRecord[]; nextCursor: string | null }> {
  const rows = await listCalls(deps.store.db, {
    tenantId: tenant.id,
    ...filter,
    before: cursor ? decodeCursor(cursor) : undefined,
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: await Promise.all(page.map((r) => recordOf(deps, r))),
    nextCursor: rows.length > limit && last ? encodeCursor({ at: last.startedAt, id: last.id }) : null,
  };
}

/** One of the clinic's calls and its events; another clinic's id is call_not_found. */
export async function getCall(
  deps: AppDeps,
  tenant: Tenant,
  id: string,
): Promise<{ call: CallRecord; events: CallEventRecord[] }> {
  const row = await findCall(deps.store.db, tenant.id, id);
  if (!row) throw new AppError('call_not_found', 'Call not found');
  const events = await listCallEvents(deps.store.db, tenant.id, row.id);
  return { call: await recordOf(deps, row), events: events.map((e, i) => eventOf(e, i + 1)) };
}
