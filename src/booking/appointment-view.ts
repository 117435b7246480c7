// The Appointment as every door answers it (the Mivicall shape). The raw phone number is never in
// it: only its keyed hash.
import type { AppointmentRow } from '../db/appointments.js';
import type { AppointmentSource, ConfirmationChannel } from '../domain/source.js';
import type { AppointmentStatus } from '../domain/status.js';
import { renderInstant } from '../domain/time.js';

// The word lists live in the domain; re-exported here for the doors that already import them.
export { APPOINTMENT_SOURCES, type AppointmentSource } from '../domain/source.js';
export { APPOINTMENT_STATUSES, type AppointmentStatus } from '../domain/status.js';

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
  /** Whether, when, by whom and through which door the appointment was confirmed (null: not yet). */
  confirmation: AppointmentConfirmation | null;
  createdAt: string;
  updatedAt: string;
}

export interface AppointmentConfirmation {
  confirmedAt: string;
  /** The actor, as in the history: `key:<id>`, `voice:<platform>`, `self_service`. */
  confirmedBy: string;
  /** The source of the door it came through, or the patient's link or reply (patient_link, sms_reply…). */
  channel: ConfirmationChannel;
}

export function viewAppointment(row: AppointmentRow, zone: string): AppointmentView {
  return {
    id: row.id,
    professionalId: row.professionalId,
    patientName: row.patientName,
    startsAt: renderInstant(row.startsAt, zone),
    endsAt: renderInstant(row.endsAt, zone),
    status: row.status,
    source: row.source,
    serviceTypeId: row.serviceTypeId,
    patientPhoneHash: row.patientPhoneHash,
    patientNotes: row.patientNotes,
    metadata: row.metadata,
    cancellationReason: row.cancellationReason,
    callId: row.callId,
    confirmation:
      row.confirmedAt === null
        ? null
        : {
            confirmedAt: renderInstant(row.confirmedAt, zone),
            confirmedBy: row.confirmedBy ?? '',
            channel: row.confirmedVia ?? 'manual',
          },
    createdAt: renderInstant(row.createdAt, zone),
    updatedAt: renderInstant(row.updatedAt, zone),
  };
}

export const appointmentLocation = (id: string) => `/v1/appointments/${id}`;
