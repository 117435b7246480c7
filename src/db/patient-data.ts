// Everything stored about one patient of one clinic, found by their phone hashes: appointments and
// their history, calls from that number or that booked for them, the outbox rows that carried their
// appointments, and the messages sent to them. Plus the statements that erase it, for one atomic unit.

import { and, asc, eq, inArray, ne, or, type SQL, sql } from 'drizzle-orm';
import { deleteCallbackRequestsOf } from './callback-requests.js';
import {
  appointmentHistory,
  appointments,
  callEvents,
  calls,
  messages,
  webhookDeliveries,
} from './schema.js';
import type { Db } from './store.js';

/** What an erased or anonymised appointment keeps instead of the sealed number. */
export const NO_PHONE = 'erased';
export const ERASED_NAME = '[erased]';
/** The history entry an erasure leaves: an update of the patient fields (the action list is CHECKed). */
const ERASURE_ENTRY = JSON.stringify({ patient: { from: null, to: 'erased' } });

const inList = (values: readonly string[]) =>
  sql`(${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )})`;

/** One appointment still sealing the number behind the hash, to find its hashes under other key versions. */
export async function sealedNumberOf(db: Db, tenantId: string, hash: string) {
  const [appointment] = await db
    .select({ id: appointments.id, sealed: appointments.patientPhoneEncrypted })
    .from(appointments)
    .where(
      and(
        eq(appointments.tenantId, tenantId),
        eq(appointments.patientPhoneHash, hash),
        ne(appointments.patientPhoneEncrypted, NO_PHONE),
      ),
    )
    .limit(1);
  return appointment;
}

export async function appointmentsByHashes(db: Db, tenantId: string, hashes: string[]) {
  if (!hashes.length) return [];
  return db
    .select()
    .from(appointments)
    .where(and(eq(appointments.tenantId, tenantId), inArray(appointments.patientPhoneHash, hashes)))
    .orderBy(asc(appointments.startsAt), asc(appointments.id));
}

export async function historyOf(db: Db, tenantId: string, appointmentIds: string[]) {
  if (!appointmentIds.length) return [];
  return db
    .select()
    .from(appointmentHistory)
    .where(
      and(
        eq(appointmentHistory.tenantId, tenantId),
        inArray(appointmentHistory.appointmentId, appointmentIds),
      ),
    )
    .orderBy(asc(appointmentHistory.occurredAt), sql`rowid`);
}

/** Calls from one of the numbers, or that booked one of the appointments. */
export async function callsOf(db: Db, tenantId: string, hashes: string[], callIds: string[]) {
  if (!hashes.length && !callIds.length) return [];
  return db
    .select()
    .from(calls)
    .where(
      and(
        eq(calls.tenantId, tenantId),
        or(
          hashes.length ? inArray(calls.fromNumberHash, hashes) : undefined,
          callIds.length ? inArray(calls.id, callIds) : undefined,
        ),
      ),
    )
    .orderBy(asc(calls.startedAt), asc(calls.id));
}

export async function eventsOfCalls(db: Db, tenantId: string, callIds: string[]) {
  if (!callIds.length) return [];
  return db
    .select()
    .from(callEvents)
    .where(and(eq(callEvents.tenantId, tenantId), inArray(callEvents.callId, callIds)))
    .orderBy(asc(callEvents.occurredAt), sql`rowid`);
}

/** Outbox rows about one of the appointments, or naming one of the hashes (patient events). */
export async function deliveriesMentioning(
  db: Db,
  tenantId: string,
  appointmentIds: string[],
  hashes: string[],
) {
  const about = [
    appointmentIds.length
      ? sql`json_extract(${webhookDeliveries.payload}, '$.data.appointment.id') IN ${inList(appointmentIds)}`
      : undefined,
    hashes.length
      ? sql`json_extract(${webhookDeliveries.payload}, '$.data.patientPhoneHash') IN ${inList(hashes)}`
      : undefined,
  ].filter((c): c is SQL => c !== undefined);
  if (!about.length) return [];
  return db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.tenantId, tenantId), or(...about)))
    .orderBy(asc(webhookDeliveries.createdAt), sql`rowid`);
}

/** Messages about one of the appointments, or sent to one of the hashes. */
export async function messagesAbout(db: Db, tenantId: string, appointmentIds: string[], hashes: string[]) {
  if (!appointmentIds.length && !hashes.length) return [];
  return db
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.tenantId, tenantId),
        or(
          appointmentIds.length ? inArray(messages.appointmentId, appointmentIds) : undefined,
          hashes.length ? inArray(messages.phoneHash, hashes) : undefined,
        ),
      ),
    )
    .orderBy(asc(messages.createdAt), asc(messages.id));
}

export interface Erasure {
  tenantId: string;
  /** The patient's live hashes, each with the mark that replaces it. */
  marks: { hash: string; mark: string }[];
  commandId: string;
  actor: string;
  now: number;
  /** True while the command holds its Idempotency-Key (or always, without one). */
  guard: SQL;
}

const liveAppointments = (e: Erasure) =>
  sql`SELECT id FROM appointments WHERE tenant_id = ${e.tenantId} AND patient_phone_hash IN ${inList(e.marks.map((m) => m.hash))}`;

/** SQL condition: the clinic still holds live rows under one of the hashes. */
export const holdsPatient = (e: Erasure): SQL => {
  const hashes = inList(e.marks.map((m) => m.hash));
  return sql`(EXISTS (SELECT 1 FROM appointments WHERE tenant_id = ${e.tenantId} AND patient_phone_hash IN ${hashes})
    OR EXISTS (SELECT 1 FROM calls WHERE tenant_id = ${e.tenantId} AND from_number_hash IN ${hashes}))`;
};

const ERASED_CHANGE = JSON.stringify({ from: ERASED_NAME, to: ERASED_NAME });
// Fields of a history entry or event that carry what the patient said or is called.
const PERSONAL_FIELDS = [
  'patientName',
  'patientNotes',
  'cancellationReason',
  'metadata',
  'patientPhoneHash',
  'patientEmail',
  'title',
  'description',
];

const redactChanges = sql`json_replace(changes, ${sql.join(
  PERSONAL_FIELDS.map((f) => sql`${`$.${f}`}, json(${ERASED_CHANGE})`),
  sql`, `,
)})`;

/**
 * The personal fields of these appointments' history entries and webhook payloads, redacted. Run
 * before the statement that changes how `ids` finds the appointments.
 */
function redactTraces(tenantId: string, ids: SQL, guard: SQL): SQL[] {
  return [
    // Triage answers are health data and a feedback comment is the patient's own words: emptied, not
    // deleted, so the form stays answered (a link still in the patient's SMS cannot fill it again).
    sql`UPDATE triage_answers SET answers = '[]'
      WHERE tenant_id = ${tenantId} AND appointment_id IN (${ids}) AND ${guard}`,
    sql`UPDATE visit_feedback SET comment = NULL
      WHERE tenant_id = ${tenantId} AND appointment_id IN (${ids}) AND ${guard}`,
    sql`UPDATE webhook_deliveries SET payload = json_replace(payload, '$.data.triage.answers', json('[]'))
      WHERE tenant_id = ${tenantId} AND json_valid(payload)
        AND json_extract(payload, '$.data.triage.appointmentId') IN (${ids}) AND ${guard}`,
    sql`UPDATE webhook_deliveries SET payload = json_replace(payload, '$.data.feedback.comment', NULL)
      WHERE tenant_id = ${tenantId} AND json_valid(payload)
        AND json_extract(payload, '$.data.feedback.appointmentId') IN (${ids}) AND ${guard}`,
    forgetMessages(tenantId, sql`appointment_id IN (${ids})`, guard),
    sql`UPDATE appointment_history SET changes = ${redactChanges}
      WHERE tenant_id = ${tenantId} AND appointment_id IN (${ids}) AND json_valid(changes) AND ${guard}`,
    sql`UPDATE webhook_deliveries SET payload = json_replace(payload,
        '$.data.appointment.patientName', ${ERASED_NAME},
        '$.data.appointment.patientNotes', NULL,
        '$.data.appointment.cancellationReason', NULL,
        '$.data.appointment.metadata', json('{}'),
        '$.data.appointment.patientPhoneHash', ${ERASED_NAME},
        ${sql.join(
          PERSONAL_FIELDS.map((f) => sql`${`$.data.changes.${f}`}, json(${ERASED_CHANGE})`),
          sql`, `,
        )})
      WHERE tenant_id = ${tenantId} AND json_valid(payload)
        AND json_extract(payload, '$.data.appointment.id') IN (${ids}) AND ${guard}`,
  ];
}

/**
 * Messages to a patient who is erased or anonymised keep what happened (kind, status, times) but not
 * to whom: no hash, no masked number, no provider error (it may quote the number). One still waiting
 * is skipped; the sender would find no number anyway.
 */
const forgetMessages = (tenantId: string, which: SQL, guard: SQL): SQL => sql`
  UPDATE messages SET phone_hash = NULL, to_masked = NULL,
    last_error = CASE WHEN status = 'queued' THEN ${"Patient's number erased"} ELSE NULL END,
    status = CASE WHEN status = 'queued' THEN 'skipped' ELSE status END
  WHERE tenant_id = ${tenantId} AND (${which}) AND (phone_hash IS NOT NULL OR to_masked IS NOT NULL OR status = 'queued')
    AND ${guard}`;

/** What an appointment keeps of its patient once erased or anonymised: `hash` replaces the phone hash. */
const anonymise = (hash: SQL, name: string, commandId: string, now: number) => sql`
  patient_name = ${name}, patient_name_search = '', patient_phone_hash = ${hash},
  patient_phone_encrypted = ${NO_PHONE}, booked_by_phone_hash = NULL, patient_notes = NULL, cancellation_reason = NULL, metadata = '{}',
  patient_email = NULL, patient_id = NULL, title = NULL, description = NULL,
  version = version + 1, last_command_id = ${commandId}, updated_at = ${now}`;

/** The erasure's statements, in order: every one that finds rows by hash runs before the hashes change. */
export function erasePatientStatements(e: Erasure): SQL[] {
  const hashes = inList(e.marks.map((m) => m.hash));
  const newHash = (column: string) =>
    sql`CASE ${sql.identifier(column)} ${sql.join(
      e.marks.map((m) => sql`WHEN ${m.hash} THEN ${m.mark}`),
      sql` `,
    )} ELSE ${sql.identifier(column)} END`;
  const theirCalls = sql`SELECT id FROM calls WHERE tenant_id = ${e.tenantId} AND from_number_hash IN ${hashes}
    UNION SELECT call_id FROM appointments WHERE tenant_id = ${e.tenantId} AND patient_phone_hash IN ${hashes} AND call_id IS NOT NULL`;
  return [
    ...redactTraces(e.tenantId, liveAppointments(e), e.guard),
    sql`UPDATE call_events SET
        transcript = CASE WHEN transcript IS NULL THEN NULL ELSE ${ERASED_NAME} END,
        tool_input = CASE WHEN tool_input IS NULL THEN NULL ELSE '{}' END,
        tool_output = CASE WHEN tool_output IS NULL THEN NULL
          WHEN json_valid(tool_output) AND json_type(tool_output) = 'object' THEN json_replace(tool_output, '$.result', ${ERASED_NAME})
          ELSE json(${JSON.stringify(ERASED_NAME)}) END
      WHERE tenant_id = ${e.tenantId} AND call_id IN (${theirCalls}) AND ${e.guard}`,
    deleteCallbackRequestsOf(e.tenantId, hashes, e.guard),
    // Messages that went to the number on an appointment since moved to another number.
    forgetMessages(e.tenantId, sql`phone_hash IN ${hashes}`, e.guard),
    // A STOP is kept (so the number is not messaged again if it books anew); a START is not needed.
    sql`DELETE FROM message_consent WHERE tenant_id = ${e.tenantId} AND phone_hash IN ${hashes}
      AND opted_out = 0 AND ${e.guard}`,
    // The recording is the caller's voice: it goes with their number (no link can be signed for it after).
    sql`UPDATE calls SET from_number_encrypted = NULL, recording_url = NULL, from_number_hash = ${newHash('from_number_hash')}, updated_at = ${e.now}
      WHERE tenant_id = ${e.tenantId} AND from_number_hash IN ${hashes} AND ${e.guard}`,
    // A carer's number erased: the appointments they booked for others forget who booked them.
    sql`UPDATE appointments SET booked_by_phone_hash = NULL
      WHERE tenant_id = ${e.tenantId} AND booked_by_phone_hash IN ${hashes} AND ${e.guard}`,
    sql`UPDATE appointments SET ${anonymise(newHash('patient_phone_hash'), ERASED_NAME, e.commandId, e.now)}
      WHERE tenant_id = ${e.tenantId} AND patient_phone_hash IN ${hashes} AND ${e.guard}`,
    sql`INSERT INTO appointment_history (id, tenant_id, appointment_id, action, actor, changes, occurred_at)
      SELECT lower(hex(randomblob(16))), tenant_id, id, 'updated', ${e.actor}, ${ERASURE_ENTRY}, ${e.now}
      FROM appointments WHERE tenant_id = ${e.tenantId} AND last_command_id = ${e.commandId}`,
  ];
}

export const ANONYMISED_NAME = '[anonymised]';

/**
 * Retention: the clinic's appointments that ended before `cutoff` lose their patient (name, number,
 * notes, metadata; the hash becomes `anonymised:<id>`, linking nothing). Idempotent: an anonymised
 * row no longer matches.
 */
export function anonymiseAppointmentsStatements(tenantId: string, cutoff: number, now: number): SQL[] {
  const commandId = `retention:${crypto.randomUUID()}`;
  const due = sql`SELECT id FROM appointments
    WHERE tenant_id = ${tenantId} AND ends_at < ${cutoff} AND patient_phone_encrypted <> ${NO_PHONE}`;
  return [
    ...redactTraces(tenantId, due, sql`1`),
    sql`UPDATE appointments SET ${anonymise(sql`'anonymised:' || id`, ANONYMISED_NAME, commandId, now)}
      WHERE tenant_id = ${tenantId} AND ends_at < ${cutoff} AND patient_phone_encrypted <> ${NO_PHONE}`,
  ];
}

/**
 * Retention: what calls started before `cutoff` left (speech, tool inputs and outputs) is deleted, and
 * the caller's sealed number and the recording with it; the call row stays for statistics.
 */
export function expireCallsStatements(tenantId: string, cutoff: number, now: number): SQL[] {
  return [
    sql`DELETE FROM call_events WHERE tenant_id = ${tenantId}
      AND call_id IN (SELECT id FROM calls WHERE tenant_id = ${tenantId} AND started_at < ${cutoff})`,
    sql`UPDATE calls SET from_number_encrypted = NULL, recording_url = NULL, updated_at = ${now}
      WHERE tenant_id = ${tenantId} AND started_at < ${cutoff}
        AND (from_number_encrypted IS NOT NULL OR recording_url IS NOT NULL)`,
    // Messages are traces of contact like calls: after the same time they forget whom they went to.
    forgetMessages(tenantId, sql`created_at < ${cutoff} AND status NOT IN ('queued', 'sending')`, sql`1`),
  ];
}
