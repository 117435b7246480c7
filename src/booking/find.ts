// Reading appointments: by id (tenant-scoped: another clinic's id is simply not found) and pages.
import type { Tenant } from '../accounts/tenants.js';
import {
  type AppointmentFilter,
  type AppointmentRow,
  appointmentsHeldAt,
  appointmentsRead,
  findAppointment,
  listAppointments,
} from '../db/appointments.js';
import type { AppDeps } from '../deps.js';
import { AppError, fieldInvalid } from '../domain/errors.js';
import { toE164 } from '../domain/phone.js';
import { BLOCKING_STATUSES } from '../domain/status.js';
import { foldText } from '../domain/text.js';
import { type AppointmentView, viewAppointment } from './appointment-view.js';
import { decodeCursor, encodeCursor } from './cursor.js';

export async function getAppointment(deps: AppDeps, tenant: Tenant, id: string): Promise<AppointmentRow> {
  const row = await findAppointment(deps.store.db, tenant.id, id);
  if (!row) throw new AppError('appointment_not_found', `Appointment ${id} not found`);
  return row;
}

export interface AppointmentQuery
  extends Omit<AppointmentFilter, 'tenantId' | 'after' | 'patientPhoneHashes' | 'bookedByPhoneHashes'> {
  patientPhone?: string;
  cursor?: string;
}

/** A booking as asked for again: the same patient (phone and name), service and time. */
export interface BookingAgain {
  patientPhone: string;
  patientName: string;
  serviceTypeId: string;
  startsAt: number;
  /** Unset: any professional. */
  professionalId?: string;
}

/**
 * The appointment a booking asked for again already is, if any: still ahead, holding its slot, under
 * the same phone, name, service and (when named) professional. A point read at the asked time, however
 * long the patient's history; a phone that is not a number finds none.
 */
export async function alreadyBooked(
  deps: AppDeps,
  tenant: Tenant,
  asked: BookingAgain,
): Promise<AppointmentRow | undefined> {
  const e164 = toE164(asked.patientPhone, tenant.country);
  if (!e164 || asked.startsAt < deps.clock.now()) return undefined;
  const hashes = await deps.vault.lookupHashes(e164, tenant);
  const name = foldText(asked.patientName);
  return (await appointmentsHeldAt(deps.store.db, tenant.id, hashes, asked.startsAt)).find(
    (a) =>
      a.serviceTypeId === asked.serviceTypeId &&
      a.patientNameSearch === name &&
      (!asked.professionalId || a.professionalId === asked.professionalId),
  );
}

/**
 * The upcoming appointments a caller's number may manage, soonest first: those it is the patient's
 * number of, and those it booked for someone else (a carer for a parent). Nobody else's.
 */
export async function upcomingForHolder(
  deps: AppDeps,
  tenant: Tenant,
  phone: string,
  limit = 20,
): Promise<AppointmentRow[]> {
  const e164 = toE164(phone, tenant.country);
  if (!e164) throw fieldInvalid('patientPhone', 'Not a valid phone number');
  const hashes = await deps.vault.lookupHashes(e164, tenant);
  const upcoming = { tenantId: tenant.id, from: deps.clock.now(), statuses: [...BLOCKING_STATUSES], limit };
  // Two reads, each through its own index (an OR of the two columns would walk the clinic's
  // start-time index instead), in one round trip.
  const [own, bookedFor] = await deps.store.batch(
    appointmentsRead(deps.store.db, { ...upcoming, patientPhoneHashes: hashes }),
    appointmentsRead(deps.store.db, { ...upcoming, bookedByPhoneHashes: hashes }),
  );
  const byId = new Map([...own, ...bookedFor].map((row) => [row.id, row]));
  return [...byId.values()]
    .sort((a, b) => a.startsAt - b.startsAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, limit);
}

/** One page ordered by start time, with the cursor of the next page (null at the end). */
export async function findAppointments(
  deps: AppDeps,
  tenant: Tenant,
  query: AppointmentQuery,
): Promise<{ items: AppointmentView[]; nextCursor: string | null }> {
  let patientPhoneHashes: string[] | undefined;
  if (query.patientPhone !== undefined) {
    const e164 = toE164(query.patientPhone, tenant.country);
    if (!e164) throw fieldInvalid('patientPhone', 'Not a valid phone number');
    patientPhoneHashes = await deps.vault.lookupHashes(e164, tenant);
  }
  const { cursor, patientPhone: _, ...filter } = query;
  const rows = await listAppointments(deps.store.db, {
    ...filter,
    tenantId: tenant.id,
    patientPhoneHashes,
    after: cursor ? decodeCursor(cursor) : undefined,
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  return {
    items: page.map((row) => viewAppointment(row, tenant.config.timezone)),
    nextCursor:
      rows.length > query.limit ? encodeCursor({ at: page.at(-1)!.startsAt, id: page.at(-1)!.id }) : null,
  };
}
