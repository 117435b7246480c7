// Queries for messages to patients: settings, senders, the message outbox and consent.
import { and, asc, desc, eq, getTableColumns, gte, inArray, lt, lte, ne, type SQL, sql } from 'drizzle-orm';
import { MAX_REMINDER_HOURS } from '../domain/message-vocabulary.js';
import { BLOCKING_STATUSES } from '../domain/status.js';
import { HOUR } from '../domain/time.js';
import { q } from './fragment.js';
import { leaseOutboxRow } from './outbox-lease.js';
import { messageConsent, messageSenders, messages, messagingSettings } from './schema.js';
import type { Db } from './store.js';
import { serviceSendsTriage } from './triage.js';

export type MessageRow = typeof messages.$inferSelect;
export type SenderRow = typeof messageSenders.$inferSelect;

export async function readSettingsRow(db: Db, tenantId: string) {
  const [row] = await db.select().from(messagingSettings).where(eq(messagingSettings.tenantId, tenantId));
  return row;
}

export async function writeSettingsRow(
  db: Db,
  tenantId: string,
  settings: Record<string, unknown>,
  now: number,
) {
  await db
    .insert(messagingSettings)
    .values({ tenantId, settings, updatedAt: now })
    .onConflictDoUpdate({ target: messagingSettings.tenantId, set: { settings, updatedAt: now } });
}

export async function upsertSender(db: Db, row: SenderRow): Promise<SenderRow> {
  const [saved] = await db
    .insert(messageSenders)
    .values(row)
    .onConflictDoUpdate({
      target: [messageSenders.tenantId, messageSenders.channel],
      set: {
        provider: row.provider,
        fromNumber: row.fromNumber,
        credentialsEncrypted: row.credentialsEncrypted,
        updatedAt: row.updatedAt,
      },
    })
    .returning();
  return saved!;
}

export const listSenders = (db: Db, tenantId: string) =>
  db
    .select()
    .from(messageSenders)
    .where(eq(messageSenders.tenantId, tenantId))
    .orderBy(asc(messageSenders.channel));

export async function findSenderByChannel(db: Db, tenantId: string, channel: SenderRow['channel']) {
  const [row] = await db
    .select()
    .from(messageSenders)
    .where(and(eq(messageSenders.tenantId, tenantId), eq(messageSenders.channel, channel)));
  return row;
}

/** By id alone: a provider's webhook names its sender in the path, the signature proves the rest. */
export async function findSenderById(db: Db, id: string) {
  const [row] = await db.select().from(messageSenders).where(eq(messageSenders.id, id));
  return row;
}

export async function deleteSender(db: Db, tenantId: string, channel: SenderRow['channel']) {
  const gone = await db
    .delete(messageSenders)
    .where(and(eq(messageSenders.tenantId, tenantId), eq(messageSenders.channel, channel)))
    .returning({ id: messageSenders.id });
  return gone.length > 0;
}

const KIND_RULE: Record<'confirmation' | 'cancellation' | 'reschedule' | 'triage' | 'feedback', SQL> = {
  confirmation: q`EXISTS (SELECT 1 FROM json_each(s.settings, '$.confirmationSources') WHERE value = a.source)`,
  cancellation: q`json_extract(s.settings, '$.cancellationNotice') = 1`,
  reschedule: q`json_extract(s.settings, '$.rescheduleNotice') = 1`,
  // With a booking: only for a service whose triage goes out on its own.
  triage: serviceSendsTriage,
  feedback: q`json_extract(s.settings, '$.feedbackAfterAttended') = 1`,
};

/**
 * Queues a message about an appointment if the clinic's settings want it and `condition` holds (the
 * change it reports was written): one statement of the change's own atomic unit. The appointment is
 * read as the unit left it, so its source is the booking's door.
 */
export const enqueueMessageIf = (
  m: {
    kind: keyof typeof KIND_RULE;
    tenantId: string;
    appointmentId: string;
    dedupeKey: string;
    now: number;
  },
  condition: SQL,
): SQL => q`
  INSERT INTO messages (id, tenant_id, appointment_id, kind, dedupe_key, status, attempts, next_attempt_at, created_at, updated_at)
  SELECT 'msg_' || lower(hex(randomblob(16))), a.tenant_id, a.id, ${m.kind}, ${m.dedupeKey}, 'queued', 0, ${m.now}, ${m.now}, ${m.now}
  FROM appointments a JOIN messaging_settings s ON s.tenant_id = a.tenant_id
  WHERE a.tenant_id = ${m.tenantId} AND a.id = ${m.appointmentId}
    AND json_extract(s.settings, '$.enabled') = 1 AND ${KIND_RULE[m.kind]} AND ${condition}
  ON CONFLICT DO NOTHING`;

/**
 * Queues a message a clinic asked for (the triage link on request) if `condition` holds: no settings
 * rule, the core checked them when it planned and the sender checks them again when it sends.
 */
export const queueRequestedMessage = (
  m: { id: string; kind: 'triage'; tenantId: string; appointmentId: string; dedupeKey: string; now: number },
  condition: SQL,
): SQL => q`
  INSERT INTO messages (id, tenant_id, appointment_id, kind, dedupe_key, status, attempts, next_attempt_at, created_at, updated_at)
  SELECT ${m.id}, ${m.tenantId}, ${m.appointmentId}, ${m.kind}, ${m.dedupeKey}, 'queued', 0, ${m.now}, ${m.now}, ${m.now}
  WHERE ${condition}
  ON CONFLICT DO NOTHING`;

/** SQL condition: the message with this id was queued. */
export const messageQueued = (id: string): SQL => q`EXISTS (SELECT 1 FROM messages WHERE id = ${id})`;

export interface ReminderCandidate {
  tenantId: string;
  appointmentId: string;
  startsAt: number;
  settings: string;
}

/**
 * Upcoming appointments whose reminder is due to be queued (its planned time, reminderHours before the
 * start, is at most `lookahead` away) and is not queued for their current start yet: decided here, so
 * appointments not due yet cannot fill the batch and starve one that is. In turns across clinics
 * (each clinic's soonest, then each one's second...), so one clinic's many cannot hold up another's.
 * The start is bounded above too (no clinic reminds more than MAX_REMINDER_HOURS ahead), so the
 * start-time index reads only the appointments that can be due, not every future one.
 */
export const reminderCandidates = (db: Db, now: number, lookahead: number, limit: number) =>
  db.all<ReminderCandidate>(sql`
    SELECT tenantId, appointmentId, startsAt, settings FROM (
      SELECT a.tenant_id AS tenantId, a.id AS appointmentId, a.starts_at AS startsAt, s.settings AS settings,
        ROW_NUMBER() OVER (PARTITION BY a.tenant_id ORDER BY a.starts_at, a.id) AS turn
      FROM appointments a JOIN messaging_settings s ON s.tenant_id = a.tenant_id
      WHERE a.status IN (${sql.join(
        BLOCKING_STATUSES.map((st) => sql`${st}`),
        sql`, `,
      )}) AND a.starts_at > ${now}
        AND a.starts_at <= ${now + lookahead + MAX_REMINDER_HOURS * HOUR}
        AND json_extract(s.settings, '$.enabled') = 1 AND json_extract(s.settings, '$.reminderHours') > 0
        AND a.starts_at - json_extract(s.settings, '$.reminderHours') * ${HOUR} <= ${now + lookahead}
        AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.tenant_id = a.tenant_id
          AND m.dedupe_key = 'reminder:' || a.id || ':' || a.starts_at)
    )
    ORDER BY turn, startsAt, appointmentId LIMIT ${limit}`);

export const reminderKey = (appointmentId: string, startsAt: number) =>
  `reminder:${appointmentId}:${startsAt}`;

/** Queues a reminder once: racing runners insert the same key, the second insert does nothing. */
/** Queues an appointment's reminder; false when it was queued already (by a racing run, say). */
export async function insertReminder(
  db: Db,
  r: { tenantId: string; appointmentId: string; startsAt: number; sendAt: number; now: number },
): Promise<boolean> {
  const added = await db
    .insert(messages)
    .values({
      id: `msg_${crypto.randomUUID().replace(/-/g, '')}`,
      tenantId: r.tenantId,
      appointmentId: r.appointmentId,
      kind: 'reminder',
      dedupeKey: reminderKey(r.appointmentId, r.startsAt),
      status: 'queued',
      attempts: 0,
      nextAttemptAt: r.sendAt,
      expiresAt: r.startsAt,
      createdAt: r.now,
      updatedAt: r.now,
    })
    .onConflictDoNothing()
    .returning({ id: messages.id });
  return added.length > 0;
}

/**
 * Due messages, in turns: every clinic's first, then every clinic's second, and so on, so one clinic's
 * hundreds of reminders cannot fill a run; within a clinic, notices of a change (a confirmation, a
 * cancellation) before reminders, which have hours to spare, then the longest waiting. `tenantId`
 * keeps to one clinic (the kick after its write), read from its own range of messages_clinic_due.
 */
export const dueMessages = (db: Db, now: number, limit: number, tenantId?: string) =>
  db.all<MessageRow>(sql`
    SELECT ${sql.join(
      Object.entries(getTableColumns(messages)).map(
        ([field, c]) => sql`${sql.identifier(c.name)} AS ${sql.identifier(field)}`,
      ),
      sql`, `,
    )} FROM (
      SELECT *, ROW_NUMBER() OVER (
        PARTITION BY tenant_id ORDER BY kind = 'reminder', next_attempt_at, created_at, id
      ) AS turn
      FROM messages WHERE status = 'queued' AND next_attempt_at <= ${now}
        ${tenantId === undefined ? sql`` : sql`AND tenant_id = ${tenantId}`}
    )
    ORDER BY turn, next_attempt_at, id
    LIMIT ${limit}`);

/** Takes a message for `leaseMs`; false when another runner took it first. */
export const leaseMessage = (db: Db, row: MessageRow, now: number, leaseMs: number) =>
  leaseOutboxRow(db, messages, row, { status: 'queued', now, leaseMs });

/**
 * Hands a leased message to the provider: `sending` from now until the lease runs out, counted
 * against the patient's daily cap, in one statement that holds only while this runner still has the
 * lease and the patient has had fewer than `cap` messages handed over on the clinic's day (`day`,
 * [start, end)), under any of their hashes. So racing runners cannot pass the cap between them.
 */
export async function claimSend(
  db: Db,
  row: MessageRow,
  leasedUntil: number,
  c: {
    at: number;
    cap: number;
    day: [number, number];
    hashes: string[];
    patch: Partial<MessageRow>;
  },
) {
  const counted = db
    .select({ n: sql<number>`count(*)` })
    .from(messages)
    .where(
      and(
        eq(messages.tenantId, row.tenantId),
        inArray(messages.phoneHash, c.hashes),
        gte(messages.sentAt, c.day[0]),
        lt(messages.sentAt, c.day[1]),
        inArray(messages.status, COUNTED),
        ne(messages.id, row.id),
      ),
    );
  const claimed = await db
    .update(messages)
    .set({ ...c.patch, status: 'sending', attempts: row.attempts + 1, sentAt: c.at, updatedAt: c.at })
    .where(
      and(
        eq(messages.id, row.id),
        eq(messages.status, 'queued'),
        eq(messages.nextAttemptAt, leasedUntil),
        sql`(${counted}) < ${c.cap}`,
      ),
    )
    .returning({ id: messages.id });
  return claimed.length > 0;
}

/** What counts towards the daily cap: handed to the provider, and not refused by it. */
const COUNTED: MessageRow['status'][] = ['sending', 'sent', 'delivered', 'undelivered', 'unknown'];

/** Whether this runner still holds the message's lease (a failed claim then means the cap). */
export async function stillLeased(db: Db, id: string, leasedUntil: number) {
  const [row] = await db
    .select({ id: messages.id })
    .from(messages)
    .where(and(eq(messages.id, id), eq(messages.status, 'queued'), eq(messages.nextAttemptAt, leasedUntil)));
  return row !== undefined;
}

/**
 * The provider's answer to a send: applied while the message is `sending`, or `unknown` if a runner
 * gave up on it meanwhile (the answer is the better truth).
 */
export async function recordSendResult(db: Db, id: string, patch: Partial<MessageRow>) {
  await db
    .update(messages)
    .set(patch)
    .where(and(eq(messages.id, id), inArray(messages.status, ['sending', 'unknown'])));
}

/**
 * Messages whose sender stopped between handing them to the provider and hearing its answer (a
 * crash; the lease ran out): the provider may have taken them and neither offers a lookup by a key
 * of ours, so they become `unknown` instead of being sent again.
 */
export async function abandonStaleSends(db: Db, now: number) {
  const gone = await db
    .update(messages)
    .set({
      status: 'unknown',
      lastError: 'The sender stopped before the provider answered; not sent again, it may have gone',
      updatedAt: now,
    })
    .where(and(eq(messages.status, 'sending'), lte(messages.nextAttemptAt, now)))
    .returning({ id: messages.id });
  return gone.length;
}

export async function updateMessage(db: Db, id: string, patch: Partial<MessageRow>) {
  await db.update(messages).set(patch).where(eq(messages.id, id));
}

/** A provider's status callback: applied only to a message that left, and never back to `sent`. */
export async function recordProviderStatus(
  db: Db,
  senderId: string,
  providerMessageId: string,
  patch: { status: 'delivered' | 'undelivered' | 'failed'; lastError: string | null; updatedAt: number },
) {
  const done = await db
    .update(messages)
    .set(patch)
    .where(
      and(
        eq(messages.senderId, senderId),
        eq(messages.providerMessageId, providerMessageId),
        inArray(messages.status, ['sent', 'delivered', 'undelivered']),
      ),
    )
    .returning({ id: messages.id });
  return done.length > 0;
}

export async function listMessages(
  db: Db,
  tenantId: string,
  f: { appointmentId?: string; before?: number; limit: number },
) {
  return db
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.tenantId, tenantId),
        f.appointmentId ? eq(messages.appointmentId, f.appointmentId) : undefined,
        f.before !== undefined ? lt(messages.createdAt, f.before) : undefined,
      ),
    )
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(f.limit);
}

export async function setConsent(
  db: Db,
  c: { tenantId: string; phoneHash: string; optedOut: boolean; keyword: string; now: number },
) {
  await db
    .insert(messageConsent)
    .values({
      tenantId: c.tenantId,
      phoneHash: c.phoneHash,
      optedOut: c.optedOut,
      keyword: c.keyword,
      changedAt: c.now,
    })
    .onConflictDoUpdate({
      target: [messageConsent.tenantId, messageConsent.phoneHash],
      set: { optedOut: c.optedOut, keyword: c.keyword, changedAt: c.now },
    });
}

/** Whether the patient opted out, under any hash their number may be stored under (key rotation). */
export async function hasOptedOut(db: Db, tenantId: string, hashes: string[]) {
  const rows = await db
    .select({ optedOut: messageConsent.optedOut })
    .from(messageConsent)
    .where(and(eq(messageConsent.tenantId, tenantId), inArray(messageConsent.phoneHash, hashes)))
    .orderBy(desc(messageConsent.changedAt))
    .limit(1);
  return rows[0]?.optedOut === true;
}

export interface MessageSubject {
  status: string;
  source: string;
  startsAt: number;
  patientName: string;
  phoneSealed: string;
  professional: string;
  service: string | null;
}

/** What a message about an appointment says and where it goes, read when it is sent. */
export async function messageSubject(db: Db, tenantId: string, appointmentId: string) {
  const [row] = await db.all<MessageSubject>(sql`
    SELECT a.status AS status, a.source AS source, a.starts_at AS startsAt, a.patient_name AS patientName,
      a.patient_phone_encrypted AS phoneSealed, p.name AS professional, s.name AS service
    FROM appointments a JOIN professionals p ON p.id = a.professional_id
      LEFT JOIN services s ON s.id = a.service_type_id
    WHERE a.tenant_id = ${tenantId} AND a.id = ${appointmentId}`);
  return row;
}
