// A patient's id within a clinic: one per phone number, stable across key rotations because it is
// stored with each appointment and looked up with every hash the number may have. A first booking
// derives it from the phone's keyed hash, so parallel first bookings of one number agree on it; after
// an erasure the number gets a new, random id (the erased patient's id must not come back).
import type { Tenant } from '../accounts/tenants.js';
import { latestOfPatient, type PatientOfNumber, patientIdRead } from '../db/appointments.js';
import { NO_PHONE } from '../db/patient-data.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../domain/errors.js';
import { appointmentSeal } from './book.js';
import { erasureMark } from './patient-rights.js';

/** A UUID-shaped id from the clinic and the phone's keyed hash (no way back to the number). */
export async function derivePatientId(deps: AppDeps, tenantId: string, phoneHash: string): Promise<string> {
  const hex = await deps.sha256Hex(`patient:${tenantId}:${phoneHash}`);
  // Version 8 (custom) and the RFC 9562 variant, so the id is a valid UUID.
  const v = `8${hex.slice(13, 16)}`;
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16) + hex.slice(17, 20);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${v}-${variant}-${hex.slice(20, 32)}`;
}

/**
 * How a booking finds its patient's id: `read` goes in the booking's batch (one round trip with its
 * other reads), `decide` takes its rows.
 */
export async function patientIdLookup(deps: AppDeps, tenant: Tenant, e164: string) {
  const hashes = await deps.vault.lookupHashes(e164, tenant);
  const marks = await Promise.all(hashes.map((h) => erasureMark(deps, tenant, h)));
  return {
    read: patientIdRead(deps.store.db, tenant.id, hashes, marks),
    decide: async ([known]: PatientOfNumber[], phoneHash: string): Promise<string> => {
      if (known?.patientId) return known.patientId;
      // A number whose patient was erased starts a new patient: a derived id would be the erased one's.
      if (known?.erasedAppointment || known?.erasedCall) return crypto.randomUUID();
      return derivePatientId(deps, tenant.id, phoneHash);
    },
  };
}

/** The id of a stored appointment's patient (rows booked before patient ids existed derive it). */
export const patientIdOf = (
  deps: AppDeps,
  row: { tenantId: string; patientId: string | null; patientPhoneHash: string },
) =>
  row.patientId ? Promise.resolve(row.patientId) : derivePatientId(deps, row.tenantId, row.patientPhoneHash);

export interface KnownPatient {
  name: string;
  phone: string;
  email: string | null;
}

/** The name, phone and email last booked for a patient id of the clinic; 404 patient_not_found otherwise. */
export async function knownPatient(deps: AppDeps, tenant: Tenant, patientId: string): Promise<KnownPatient> {
  const row = await latestOfPatient(deps.store.db, tenant.id, patientId);
  if (!row) throw new AppError('patient_not_found', `Patient ${patientId} not found`);
  const phone = await patientPhoneOf(deps, row);
  if (!phone) throw new AppError('patient_not_found', `Patient ${patientId} not found`);
  return { name: row.patientName, phone, email: row.patientEmail };
}

/**
 * The patient's number of a stored appointment, in E.164 (for a door allowed to show or mask it);
 * null once the patient was erased or the appointment anonymised.
 */
export async function patientPhoneOf(
  deps: AppDeps,
  row: { tenantId: string; id: string; patientPhoneEncrypted: string },
): Promise<string | null> {
  if (row.patientPhoneEncrypted === NO_PHONE) return null;
  return deps.vault.decrypt(row.patientPhoneEncrypted, appointmentSeal(row.tenantId, row.id));
}
