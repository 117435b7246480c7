// Appointment queries, and the guarded statements the booking core's atomic units are built from.
import {
  type AnyColumn,
  and,
  asc,
  desc,
  eq,
  getTableColumns,
  gt,
  gte,
  inArray,
  lt,
  or,
  type SQL,
  sql,
} from 'drizzle-orm';
import type { FieldChanges } from '../domain/history.js';
import { MAX_BLOCK_MS } from '../domain/service-caps.js';
import type { AppointmentSource } from '../domain/source.js';
import { type AppointmentStatus, BLOCKING_STATUSES } from '../domain/status.js';
import { q } from './fragment.js';
import { appointmentHistory, appointments, calls, tenants } from './schema.js';
import { type Db, type PreparedRead, preparedOnce, read } from './store.js';

export type AppointmentRow = typeof appointments.$inferSelect;
type Column = keyof AppointmentRow;

/** A column's value as drizzle stores it (json columns as text), for a `q` statement. */
const stored = <K extends Column>(column: K, value: AppointmentRow[K]): unknown =>
  value === null ? null : appointments[column].mapToDriverValue(value);

const blocking = q.list([...BLOCKING_STATUSES]);

// Every column of an appointment, in the table's order: an insert names them all.
const APPOINTMENT_COLUMNS = Object.keys(getTableColumns(appointments)) as Column[];
const quotedName = (k: Column) => `"${appointments[k].name}"`;
const columnNames = Object.fromEntries(APPOINTMENT_COLUMNS.map((k) => [k, q.raw(quotedName(k))])) as Record<
  Column,
  SQL
>;
const appointmentColumnNames = q.raw(APPOINTMENT_COLUMNS.map(quotedName).join(', '));

/**
 * The longest span an appointment can block (12 h service + 4 h buffer, CHECKed on services). Bounding
 * the overlap search below by it turns "any earlier appointment that is still running" into an index
 * range, not a scan.
 */
export { MAX_BLOCK_MS };

export interface Interval {
  tenantId: string;
  professionalId: string;
  startsAt: number;
  blocksUntil: number;
}

/** SQL condition: another blocking appointment of the professional overlaps [startsAt, blocksUntil). */
export const overlaps = (slot: Interval, excludeId?: string): SQL => q`EXISTS (
  SELECT 1 FROM appointments o
  WHERE o.tenant_id = ${slot.tenantId} AND o.professional_id = ${slot.professionalId}
    AND o.starts_at >= ${slot.startsAt - MAX_BLOCK_MS} AND o.starts_at < ${slot.blocksUntil}
    AND o.blocks_until > ${slot.startsAt}
    AND o.status IN (${blocking})
    ${excludeId ? q`AND o.id <> ${excludeId}` : undefined})`;

const bookableTables = { professionals: q.raw('"professionals"'), services: q.raw('"services"') };

export const isBookable = (table: 'professionals' | 'services', tenantId: string, id: string): SQL =>
  q`EXISTS (SELECT 1 FROM ${bookableTables[table]} WHERE id = ${id} AND tenant_id = ${tenantId} AND active = 1 AND deleted_at IS NULL)`;

/** SQL condition: the appointment was written by this command. */
export const writtenBy = (id: string, commandId: string): SQL =>
  q`EXISTS (SELECT 1 FROM appointments WHERE id = ${id} AND last_command_id = ${commandId})`;

/** SQL condition: the appointment is still at the version the command planned from. */
export const unchangedSince = (id: string, version: number): SQL =>
  q`EXISTS (SELECT 1 FROM appointments WHERE id = ${id} AND version = ${version})`;

/** Inserts the appointment only if every condition holds. */
export function insertAppointmentIf(row: AppointmentRow, conditions: SQL[]): SQL {
  const values = APPOINTMENT_COLUMNS.map((k) => stored(k, row[k]));
  return q`INSERT INTO appointments (${appointmentColumnNames})
    SELECT ${q.list(values)}
    WHERE ${q.join(conditions, ' AND ')}`;
}

/** Applies `changes` (column → value) to the appointment at `version`, if every condition holds. */
export function updateAppointmentIf(
  tenantId: string,
  id: string,
  version: number,
  commandId: string,
  now: number,
  changes: Partial<AppointmentRow>,
  conditions: SQL[],
): SQL {
  const sets = (Object.keys(changes) as Column[]).map(
    (k) => q`${columnNames[k]} = ${stored(k, changes[k]!)}`,
  );
  const bookkeeping = [q`version = version + 1`, q`last_command_id = ${commandId}`, q`updated_at = ${now}`];
  return q`UPDATE appointments SET ${q.join([...sets, ...bookkeeping], ', ')}
    WHERE tenant_id = ${tenantId} AND id = ${id} AND version = ${version}
      ${conditions.length ? q`AND ${q.join(conditions, ' AND ')}` : undefined}`;
}

export interface HistoryEntry {
  tenantId: string;
  appointmentId: string;
  /** A HISTORY_ACTIONS word (the column's CHECK refuses any other). */
  action: string;
  actor: string;
  changes: FieldChanges;
  occurredAt: number;
}

/** Records a change, only if the command's write happened. */
export const insertHistoryIf = (entry: HistoryEntry, commandId: string): SQL => q`
  INSERT INTO appointment_history (id, tenant_id, appointment_id, action, actor, changes, occurred_at)
  SELECT ${crypto.randomUUID()}, ${entry.tenantId}, ${entry.appointmentId}, ${entry.action}, ${entry.actor},
    ${appointmentHistory.changes.mapToDriverValue(entry.changes)}, ${entry.occurredAt}
  WHERE ${writtenBy(entry.appointmentId, commandId)}`;

export async function findAppointment(
  db: Db,
  tenantId: string,
  id: string,
): Promise<AppointmentRow | undefined> {
  const [row] = await db
    .select()
    .from(appointments)
    .where(and(eq(appointments.tenantId, tenantId), eq(appointments.id, id)))
    .limit(1);
  return row;
}

export interface AppointmentFilter {
  tenantId: string;
  from?: number;
  to?: number;
  professionalId?: string;
  serviceTypeId?: string;
  statuses?: AppointmentStatus[];
  source?: AppointmentSource;
  patientPhoneHashes?: string[];
  /** The number that booked for the patient (a carer) is one of these hashes. */
  bookedByPhoneHashes?: string[];
  updatedSince?: number;
  /** Position after which the page starts (see src/booking/cursor.ts). */
  after?: { at: number; id: string };
  limit: number;
}

/** Appointments ordered by (startsAt, id), `limit` of them after the cursor position. */
export async function listAppointments(db: Db, f: AppointmentFilter): Promise<AppointmentRow[]> {
  return appointmentsQuery(db, f);
}

/** `listAppointments` as a read for a batch. */
export const appointmentsRead = (db: Db, f: AppointmentFilter) =>
  read(appointmentsQuery(db, f).prepare() as PreparedRead<AppointmentRow>);

function appointmentsQuery(db: Db, f: AppointmentFilter) {
  // A phone's appointments are a handful: found through the phone index. Left to itself, SQLite
  // walks the clinic's start-time index for the range and the order instead, reading every upcoming
  // appointment of the clinic (thousands) per voice tool call; `+` keeps that index out of the plan.
  const startsAt =
    f.patientPhoneHashes || f.bookedByPhoneHashes
      ? sql<number>`+${appointments.startsAt}`
      : sql<number>`${appointments.startsAt}`;
  return db
    .select()
    .from(appointments)
    .where(
      and(
        eq(appointments.tenantId, f.tenantId),
        f.from === undefined ? undefined : gte(startsAt, f.from),
        f.to === undefined ? undefined : lt(startsAt, f.to),
        f.professionalId ? eq(appointments.professionalId, f.professionalId) : undefined,
        f.serviceTypeId ? eq(appointments.serviceTypeId, f.serviceTypeId) : undefined,
        f.statuses?.length ? inArray(appointments.status, f.statuses) : undefined,
        f.source ? eq(appointments.source, f.source) : undefined,
        f.patientPhoneHashes ? inArray(appointments.patientPhoneHash, f.patientPhoneHashes) : undefined,
        f.bookedByPhoneHashes ? inArray(appointments.bookedByPhoneHash, f.bookedByPhoneHashes) : undefined,
        f.updatedSince === undefined ? undefined : gte(appointments.updatedAt, f.updatedSince),
        f.after
          ? or(
              gt(appointments.startsAt, f.after.at),
              and(eq(appointments.startsAt, f.after.at), gt(appointments.id, f.after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(asc(startsAt), asc(appointments.id))
    .limit(f.limit);
}

/** Blocking appointments overlapping the interval: the `overlaps` rule, as rows. */
export async function listBusyAppointments(db: Db, slot: Interval): Promise<AppointmentRow[]> {
  return db
    .select()
    .from(appointments)
    .where(
      and(
        eq(appointments.tenantId, slot.tenantId),
        eq(appointments.professionalId, slot.professionalId),
        gte(appointments.startsAt, slot.startsAt - MAX_BLOCK_MS),
        lt(appointments.startsAt, slot.blocksUntil),
        gt(appointments.blocksUntil, slot.startsAt),
        inArray(appointments.status, [...BLOCKING_STATUSES]),
      ),
    )
    .orderBy(asc(appointments.startsAt));
}

export async function listHistory(db: Db, tenantId: string, appointmentId: string) {
  return db
    .select()
    .from(appointmentHistory)
    .where(
      and(eq(appointmentHistory.tenantId, tenantId), eq(appointmentHistory.appointmentId, appointmentId)),
    )
    .orderBy(asc(appointmentHistory.occurredAt), sql`rowid`);
}

/** SQL condition: this phone (any of its hashes) holds fewer than `cap` upcoming online bookings. */
export const fewerUpcomingSelfService = (
  tenantId: string,
  phoneHashes: string[],
  now: number,
  cap: number,
): SQL =>
  q`(SELECT count(*) FROM appointments
    WHERE tenant_id = ${tenantId} AND source = 'self_service' AND starts_at > ${now}
      AND status IN (${blocking})
      AND patient_phone_hash IN (${q.list(phoneHashes)})) < ${cap}`;

// A booking's patient-id reads, prepared once: the hashes go in as one JSON parameter (any number,
// one statement), as availability's busy read does; building and preparing three statements per
// booking cost more than running them.
const inJson = (column: AnyColumn | SQL, name: string) =>
  sql`${column} IN (SELECT value FROM json_each(${sql.placeholder(name)}))`;

// What a booking needs to know of its patient, in one statement anchored on the clinic's row (so it
// answers exactly one row): the patient id already given to the number, and whether the number's
// patient was erased (an appointment or a call under an erasure mark).
//
// The earliest patient id under each hash is the first row of the phone index (tenant, phone, created)
// that carries one: per hash a short index walk, not a sort of the number's whole history. The
// earliest of those (one per hash, a key rotation's worth) wins.
const patientOfNumber = preparedOnce((db) =>
  db
    .select({
      patientId: sql<string | null>`(SELECT p.patient_id FROM ${appointments} p WHERE p.rowid IN (SELECT (
        SELECT a.rowid FROM ${appointments} a
        WHERE a.tenant_id = ${sql.placeholder('tenantId')} AND a.patient_phone_hash = j.value
          AND +a.patient_id IS NOT NULL
        ORDER BY a.created_at LIMIT 1
      ) FROM json_each(${sql.placeholder('hashes')}) j) ORDER BY p.created_at LIMIT 1)`,
      erasedAppointment: sql<number>`EXISTS (SELECT 1 FROM ${appointments} e WHERE e.tenant_id = ${sql.placeholder('tenantId')}
        AND ${inJson(sql`e.patient_phone_hash`, 'marks')})`,
      erasedCall: sql<number>`EXISTS (SELECT 1 FROM ${calls} c WHERE c.tenant_id = ${sql.placeholder('tenantId')}
        AND ${inJson(sql`c.from_number_hash`, 'marks')})`,
    })
    .from(tenants)
    .where(eq(tenants.id, sql.placeholder('tenantId')))
    .prepare(),
);

// A phone's appointments starting at one instant: a point read through the clinic's start-time index
// (a handful of rows: one per professional at most). Through the phone index instead it would read
// every appointment the number ever booked, and a caller's history only grows.
const heldAtQuery = preparedOnce((db) =>
  db
    .select()
    .from(appointments)
    .where(
      and(
        eq(appointments.tenantId, sql.placeholder('tenantId')),
        eq(appointments.startsAt, sql.placeholder('startsAt')),
        // `+`: the start-time index, not the phone one (see above).
        inJson(sql`+${appointments.patientPhoneHash}`, 'hashes'),
        inArray(appointments.status, [...BLOCKING_STATUSES]),
      ),
    )
    .orderBy(asc(appointments.id))
    .prepare(),
);

/** Appointments that hold their slot, booked under one of these phone hashes, starting at `startsAt`. */
export async function appointmentsHeldAt(
  db: Db,
  tenantId: string,
  phoneHashes: string[],
  startsAt: number,
): Promise<AppointmentRow[]> {
  return (await heldAtQuery(db).all({
    tenantId,
    startsAt,
    hashes: JSON.stringify(phoneHashes),
  })) as AppointmentRow[];
}

/** What decides a phone's patient id (src/booking/patient-id.ts). */
export interface PatientOfNumber {
  /** The earliest id stored under the number's hashes: the one already given to this phone here. */
  patientId: string | null;
  /** 1 when an appointment, or a call, carries one of the number's erasure marks. */
  erasedAppointment: number;
  erasedCall: number;
}

/** The read of what is known of a number's patient (see patientOfNumber): one row, for a batch. */
export const patientIdRead = (db: Db, tenantId: string, phoneHashes: string[], marks: string[]) =>
  read(patientOfNumber(db) as PreparedRead<PatientOfNumber>, {
    tenantId,
    hashes: JSON.stringify(phoneHashes),
    marks: JSON.stringify(marks),
  });

/** The patient's most recent appointment in the clinic (their latest name, phone and email). */
export async function latestOfPatient(
  db: Db,
  tenantId: string,
  patientId: string,
): Promise<AppointmentRow | undefined> {
  const [row] = await db
    .select()
    .from(appointments)
    .where(and(eq(appointments.tenantId, tenantId), eq(appointments.patientId, patientId)))
    .orderBy(desc(appointments.createdAt))
    .limit(1);
  return row;
}
