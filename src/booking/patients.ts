// Patients as a receptionist sees them: found by name, or by the phone hash the API hands out.
// Never a raw number: the hash is the patient's handle.
import type { Tenant } from '../accounts/tenants.js';
import { appointmentsOfPatient, searchPatients } from '../db/patients.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../domain/errors.js';
import { foldText } from '../domain/text.js';
import { renderInstant } from '../domain/time.js';
import { viewAppointment } from './appointment-view.js';
import { patientSubject, recordAudit } from './audit.js';

export async function findPatients(deps: AppDeps, tenant: Tenant, search: string, limit: number) {
  const zone = tenant.config.timezone;
  const rows = await searchPatients(deps.store.db, tenant.id, foldText(search), limit);
  return rows.map((r) => ({
    patientPhoneHash: r.patientPhoneHash,
    name: r.name,
    appointmentCount: Number(r.appointmentCount),
    firstSeenAt: renderInstant(Number(r.firstSeenAt), zone),
    lastAppointmentAt: renderInstant(Number(r.lastStartsAt), zone),
  }));
}

/** The patient behind a phone hash, with their appointments (latest first), or 404; audited as a read. */
export async function getPatient(deps: AppDeps, tenant: Tenant, hash: string, actor: string) {
  const rows = await appointmentsOfPatient(deps.store.db, tenant.id, [hash], 200);
  const latest = rows[0];
  if (!latest) throw new AppError('patient_not_found', 'No patient with this phone hash');
  await recordAudit(deps, tenant, { actor, action: 'patient.read', subject: patientSubject(hash) });
  const byCreation = [...rows].sort((a, b) => b.createdAt - a.createdAt);
  return {
    patientPhoneHash: hash,
    name: byCreation[0]!.patientName,
    appointments: rows.map((r) => viewAppointment(r, tenant.config.timezone)),
  };
}
