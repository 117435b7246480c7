// The Appointment as every door answers it (the Mivicall shape). The raw phone number is never in
// it: only its keyed hash.
import type { AppointmentRow } from '../db/appointments.js';
import { APPOINTMENT_STATUSES, type AppointmentStatus } from '../domain/status.js';
import { renderInstant } from '../domain/time.js';

// The statuses are the domain's (the status machine); re-exported for the doors that name them here.
export { APPOINTMENT_STATUSES, type AppointmentStatus };
export const APPOINTMENT_SOURCES = ['voice_ai', 'manual', 'self_service', 'sync_external'] as const;
export type AppointmentSource = (typeof APPOINTMENT_SOURCES)[number];

export interface AppointmentView {
  id: string;
  professionalId: string;
  patientName: string;
  startsAt: string;
  endsAt: string;
  status: AppointmentStatus;
  source: AppointmentSource;
  serviceTypeId: string | null;
  patientPhoneHash: string;
  patientNotes: string | null;
  metadata: Record<string, unknown>;
  cancellationReason: string | null;
  callId: string | null;
  createdAt: string;
  updatedAt: string;
}

export function viewAppointment(row: AppointmentRow, zone: string): AppointmentView {
  return {
    id: row.id,
    professionalId: row.professionalId,
    patientName: row.patientName,
    startsAt: renderInstant(row.startsAt, zone),
    endsAt: renderInstant(row.endsAt, zone),
    status: row.status as AppointmentStatus,
    source: row.source as AppointmentSource,
    serviceTypeId: row.serviceTypeId,
    patientPhoneHash: row.patientPhoneHash,
    patientNotes: row.patientNotes,
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
    cancellationReason: row.cancellationReason,
    callId: row.callId,
    createdAt: renderInstant(row.createdAt, zone),
    updatedAt: renderInstant(row.updatedAt, zone),
  };
}
