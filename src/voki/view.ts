// An appointment of the core as Voki shows one. Statuses: a booked appointment (confirmed or
// rescheduled in the core) is `scheduled` until its confirmation is recorded, then `confirmed`;
// attended is `completed`. Instants are UTC with `Z` and whole seconds, as in Voki's examples.
import type { Tenant } from '../accounts/tenants.js';
import { type AppointmentRow, type CatalogNames, catalogNames } from '../booking/appointment-pages.js';
import { patientSubject, recordAudits } from '../booking/audit.js';
import { patientIdOf, patientPhoneOf } from '../booking/patient-id.js';
import type { AppDeps } from '../deps.js';
import { maskPhone } from '../domain/phone-mask.js';
import type { AppointmentStatus } from '../domain/status.js';
import { MINUTE } from '../domain/time.js';
import type { VokiAppointment, VokiStatus } from './schemas.js';

export const utc = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function vokiStatus(status: AppointmentStatus, confirmedAt: number | null): VokiStatus {
  switch (status) {
    case 'attended':
      return 'completed';
    case 'cancelled':
    case 'no_show':
      return status;
    default:
      return confirmedAt === null ? 'scheduled' : 'confirmed';
  }
}

/** Whether the answer carries patients' numbers in full (the key's appointments:read_phone). */
export interface PhonePolicy {
  showPhones: boolean;
  /** Who reads them, for the audit log. */
  actor: string;
}

export async function vokiAppointment(
  deps: AppDeps,
  row: AppointmentRow,
  names: CatalogNames,
  policy: PhonePolicy,
): Promise<VokiAppointment> {
  const phone = await patientPhoneOf(deps, row);
  const serviceName = row.serviceTypeId ? (names.services.get(row.serviceTypeId) ?? null) : null;
  return {
    id: row.id,
    title: row.title ?? serviceName ?? 'Appointment',
    description: row.description,
    status: vokiStatus(row.status, row.confirmedAt),
    scheduled_at: utc(row.startsAt),
    duration_minutes: Math.round((row.endsAt - row.startsAt) / MINUTE),
    department_id: row.serviceTypeId,
    department_name: serviceName,
    user_id: row.professionalId,
    user_name: names.professionals.get(row.professionalId) ?? '',
    customer_id: await patientIdOf(deps, row),
    customer_name: row.patientName,
    customer_email: row.patientEmail,
    customer_phone: phone === null ? null : policy.showPhones ? phone : (maskPhone(phone) ?? '•••'),
    notes: row.patientNotes,
    cancellation_reason: row.cancellationReason,
    confirmed_at: row.confirmedAt === null ? null : utc(row.confirmedAt),
    inserted_at: utc(row.createdAt),
    updated_at: utc(row.updatedAt),
  };
}

/** Several appointments, with one catalogue read; the phones disclosed are audited together. */
export async function vokiAppointments(
  deps: AppDeps,
  tenant: Tenant,
  rows: AppointmentRow[],
  policy: PhonePolicy,
): Promise<VokiAppointment[]> {
  const names = await catalogNames(deps, tenant, rows);
  const views = await Promise.all(rows.map((row) => vokiAppointment(deps, row, names, policy)));
  await auditPhones(deps, tenant, rows, policy);
  return views;
}

/** Each patient whose number an answer disclosed in full: one `patient.read` entry (docs/invariants.md P-5). */
export async function auditPhones(
  deps: AppDeps,
  tenant: Tenant,
  rows: Pick<AppointmentRow, 'patientPhoneHash'>[],
  policy: PhonePolicy,
) {
  if (!policy.showPhones) return;
  const hashes = [...new Set(rows.map((r) => r.patientPhoneHash))];
  await recordAudits(
    deps,
    tenant,
    hashes.map((hash) => ({ actor: policy.actor, action: 'patient.read', subject: patientSubject(hash) })),
  );
}
