// Queries for voice integrations, the calls they report and each call's events.
import { and, asc, desc, eq, gte, isNull, lt, or, sql } from 'drizzle-orm';
import type { CallStatus } from '../domain/vocabulary.js';
import { callEvents, calls, clinicVersions, voiceIntegrations } from './schema.js';
import { allNow, type Db, type PreparedRead, preparedOnce, read, type Store, statementOf } from './store.js';
import { versionedCache } from './versioned-cache.js';

export type IntegrationRow = typeof voiceIntegrations.$inferSelect;
export type CallRow = typeof calls.$inferSelect;

/** The context that decrypts a call's caller number: bound to the clinic, integration and call id. */
export const callerContext = (call: Pick<CallRow, 'tenantId' | 'integrationId' | 'externalCallId'>) =>
  `call:${call.tenantId}:${call.integrationId}:${call.externalCallId}`;
export type CallEventRow = typeof callEvents.$inferSelect;

export async function insertIntegration(db: Db, row: IntegrationRow) {
  await db.insert(voiceIntegrations).values(row);
}

const integrationById = preparedOnce((db) =>
  db
    .select({
      integration: voiceIntegrations,
      version: sql<number>`coalesce(${clinicVersions.integrations}, 0)`,
    })
    .from(voiceIntegrations)
    .leftJoin(clinicVersions, eq(clinicVersions.tenantId, voiceIntegrations.tenantId))
    .where(eq(voiceIntegrations.id, sql.placeholder('id')))
    .limit(1)
    .prepare(),
);

// Every webhook and MCP request of a call looks its integration up: kept by id while the clinic's
// integrations counter holds (src/db/versioned-cache.ts), so a rotated secret or a deactivated integration
// is seen by the next request. Only integrations found are kept (the id comes from the URL).
const integrations = versionedCache<string, IntegrationRow>('integrations', 4_096);

/** By id, and only within `tenantId` when given (every webhook call looks its integration up). */
export async function findIntegration(
  db: Db,
  id: string,
  tenantId?: string,
): Promise<IntegrationRow | undefined> {
  let row = integrations.get(db, id);
  if (!row) {
    const [found] = allNow(integrationById(db), { id });
    if (found) row = integrations.keep(db, id, found.integration.tenantId, found.version, found.integration);
  }
  return row && (tenantId === undefined || row.tenantId === tenantId) ? row : undefined;
}

export async function listIntegrations(db: Db, tenantId: string) {
  return db
    .select()
    .from(voiceIntegrations)
    .where(eq(voiceIntegrations.tenantId, tenantId))
    .orderBy(asc(voiceIntegrations.createdAt));
}

export async function updateIntegration(
  db: Db,
  tenantId: string,
  id: string,
  patch: Partial<IntegrationRow>,
) {
  const [row] = await db
    .update(voiceIntegrations)
    .set(patch)
    .where(and(eq(voiceIntegrations.tenantId, tenantId), eq(voiceIntegrations.id, id)))
    .returning();
  return row;
}

// Every tool call looks its call up: prepared once. The writes below go through `atomic`, so on
// Node concurrent tool calls share one commit instead of an fsync each.
const callByPlatformId = preparedOnce((db) =>
  db
    .select()
    .from(calls)
    .where(
      and(
        eq(calls.integrationId, sql.placeholder('integrationId')),
        eq(calls.externalCallId, sql.placeholder('externalCallId')),
      ),
    )
    .limit(1)
    .prepare(),
);

/** The call record of a platform call id as a read for a batch (zero or one row). */
export const callRead = (db: Db, integrationId: string, externalCallId: string) =>
  read(callByPlatformId(db) as PreparedRead<CallRow>, { integrationId, externalCallId });

/**
 * The call record for a platform call id, created on first sight (concurrent first sights make one).
 * `seen`: what the caller already read with `callRead` (skips that read).
 */
export async function ensureCall(
  store: Store,
  externalCallId: string,
  integrationId: string,
  create: () => Promise<CallRow>,
  seen?: CallRow[],
): Promise<CallRow> {
  const find = async () => (await callByPlatformId(store.db).all({ integrationId, externalCallId }))[0];
  const known = seen ? seen[0] : await find();
  if (known) return known;
  await store.atomic([
    statementOf(
      store.db
        .insert(calls)
        .values(await create())
        .onConflictDoNothing(),
    ),
  ]);
  return (await find())!;
}

export async function updateCall(store: Store, id: string, patch: Partial<CallRow>) {
  await store.atomic([updateCallStatement(store.db, id, patch)]);
}

/** `updateCall` as a statement, for a unit that writes more of the call's log. */
export const updateCallStatement = (db: Db, id: string, patch: Partial<CallRow>) =>
  statementOf(db.update(calls).set(patch).where(eq(calls.id, id)));

/**
 * Sets the call's outcome only where `rank` puts it above the stored one, compared in the UPDATE
 * itself: a call's tool calls may be logged after their answers, in any order, by requests whose
 * sessions each read the call before the others' logs landed.
 */
export function raiseCallOutcomeStatement(
  db: Db,
  id: string,
  outcome: string,
  rank: Readonly<Record<string, number>>,
  now: number,
) {
  const stored = sql`CASE coalesce(${calls.outcome}, '') ${sql.join(
    Object.entries(rank).map(([name, r]) => sql`WHEN ${name} THEN ${r}`),
    sql` `,
  )} ELSE 0 END`;
  return statementOf(
    db
      .update(calls)
      .set({ outcome, updatedAt: now })
      .where(and(eq(calls.id, id), sql`${stored} < ${rank[outcome] ?? 0}`)),
  );
}

/** Marks the call ended once; false when it was already ended (a repeated end-of-call report). */
export async function closeCall(store: Store, id: string, patch: Partial<CallRow>): Promise<boolean> {
  const [closed] = await store.atomic([
    statementOf(
      store.db
        .update(calls)
        .set(patch)
        .where(and(eq(calls.id, id), isNull(calls.endedAt))),
    ),
  ]);
  return (closed?.changes ?? 0) > 0;
}

export async function insertCallEvents(store: Store, rows: CallEventRow[]) {
  if (rows.length) await store.atomic([callEventsStatement(store.db, rows)]);
}

/** `insertCallEvents` as a statement (at least one row), for a unit that writes more of the call's log. */
export const callEventsStatement = (db: Db, rows: CallEventRow[]) =>
  statementOf(db.insert(callEvents).values(rows));

export async function findCall(db: Db, tenantId: string, id: string): Promise<CallRow | undefined> {
  const [row] = await db
    .select()
    .from(calls)
    .where(and(eq(calls.tenantId, tenantId), eq(calls.id, id)))
    .limit(1);
  return row;
}

export async function listCallEvents(db: Db, tenantId: string, callId: string) {
  return db
    .select()
    .from(callEvents)
    .where(and(eq(callEvents.tenantId, tenantId), eq(callEvents.callId, callId)))
    .orderBy(asc(callEvents.occurredAt), sql`rowid`);
}

export interface CallFilter {
  tenantId: string;
  from?: number;
  to?: number;
  outcome?: string;
  status?: CallStatus;
  /** Position after which the page starts (calls are listed newest first). */
  before?: { at: number; id: string };
  limit: number;
}

export async function listCalls(db: Db, f: CallFilter): Promise<CallRow[]> {
  return db
    .select()
    .from(calls)
    .where(
      and(
        eq(calls.tenantId, f.tenantId),
        f.from === undefined ? undefined : gte(calls.startedAt, f.from),
        f.to === undefined ? undefined : lt(calls.startedAt, f.to),
        f.outcome ? eq(calls.outcome, f.outcome) : undefined,
        f.status ? eq(calls.status, f.status) : undefined,
        f.before
          ? or(
              lt(calls.startedAt, f.before.at),
              and(eq(calls.startedAt, f.before.at), lt(calls.id, f.before.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(calls.startedAt), desc(calls.id))
    .limit(f.limit);
}

/** A call by id alone: only for a request that already proved it may open this call (a signed link). */
export async function findCallById(db: Db, id: string): Promise<CallRow | undefined> {
  const [row] = await db.select().from(calls).where(eq(calls.id, id)).limit(1);
  return row;
}
