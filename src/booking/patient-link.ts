// A patient's own appointment link: /a/{token}, no login, valid until three days after the visit's
// start (long enough for the visit and a look at its state afterwards; every confirmation and
// reminder brings a fresh one). The visit's start is its current one: a link that moved the visit
// later (or was made before the clinic did) keeps working until three days after the new time. Nothing is stored: the token (src/security/patient-token.ts) names
// the appointment under the clinic's signature, so a link can be made wherever a message is rendered.
import { isTenantActive, type Tenant, toTenant } from '../accounts/tenants.js';
import type { AppointmentRow } from '../db/appointments.js';
import { findAppointmentForLink } from '../db/patient-links.js';
import { findTenant } from '../db/tenants.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../domain/errors.js';
import { DAY } from '../domain/time.js';
import { openPatientToken, sealPatientToken } from '../security/patient-token.js';
import { getAppointment } from './find.js';

export const PATIENT_LINK_PREFIX = '/a';
/** How long after the appointment's start its link keeps working. */
export const PATIENT_LINK_MARGIN_MS = 3 * DAY;

export interface PatientLink {
  url: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/** The link to an appointment at `origin`; null when it cannot have one (an id that is not a UUID). */
export async function patientLink(
  deps: AppDeps,
  appointment: { tenantId: string; id: string; startsAt: number },
  origin: string,
): Promise<PatientLink | null> {
  const expires = Math.floor((appointment.startsAt + PATIENT_LINK_MARGIN_MS) / 1000);
  const token = await sealPatientToken(deps.links, {
    tenantId: appointment.tenantId,
    appointmentId: appointment.id,
    expires,
  });
  return token ? { url: `${origin}${PATIENT_LINK_PREFIX}/${token}`, expiresAt: expires * 1000 } : null;
}

/** The link to one of the clinic's appointments (404 for another clinic's), for its PMS to send itself. */
export async function appointmentPatientLink(
  deps: AppDeps,
  tenant: Tenant,
  id: string,
  origin: string,
): Promise<PatientLink> {
  const appointment = await getAppointment(deps, tenant, id);
  const link = await patientLink(deps, appointment, origin);
  if (!link) throw new AppError('appointment_not_found', 'This appointment cannot have a patient link');
  return link;
}

/** What a valid link opens: the clinic and the appointment as they are now. */
export interface OpenedLink {
  tenant: Tenant;
  appointment: AppointmentRow;
}

/**
 * Opens a link: a token that is malformed, tampered with, made for another clinic's appointment or
 * for one that no longer exists is `invalid_signature`; a genuine one past its expiry `link_expired`.
 */
export async function openPatientLink(deps: AppDeps, token: string): Promise<OpenedLink> {
  const invalid = new AppError('invalid_signature', 'This link is not valid');
  const opened = await openPatientToken(deps.links, token);
  if (!opened) throw invalid;
  const row = await findAppointmentForLink(deps.store.db, opened.appointmentId);
  if (!row || !(await opened.madeFor(row.tenantId))) throw invalid;
  const until = Math.max(opened.expires * 1000, row.startsAt + PATIENT_LINK_MARGIN_MS);
  if (until <= deps.clock.now()) {
    throw new AppError('link_expired', 'This link has expired; the clinic sends a new one with each message');
  }
  const tenantRow = await findTenant(deps.store.db, row.tenantId);
  if (!tenantRow || !isTenantActive(tenantRow)) throw invalid;
  return { tenant: toTenant(tenantRow), appointment: row };
}
