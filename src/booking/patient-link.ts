// A patient's own appointment link: /a/{token}, no login, valid until three days after the visit's
// start (long enough for the visit and a look at its state afterwards; every confirmation and
// reminder brings a fresh one). The visit's start is its current one: a link that moved the visit
// later (or was made before the clinic did) keeps working until three days after the new time. Nothing is stored: the token (src/security/patient-token.ts) names
// the appointment under the clinic's signature, so a link can be made wherever a message is rendered.
// The triage form (/triagem/{token}) and the feedback form (/feedback/{token}) are links of their own
// scope made the same way; each page opens only tokens of its scope.
import { isTenantActive, type Tenant, toTenant } from '../accounts/tenants.js';
import type { AppointmentRow } from '../db/appointments.js';
import { findAppointmentForLink } from '../db/patient-links.js';
import { findTenant } from '../db/tenants.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../domain/errors.js';
import { DAY } from '../domain/time.js';
import { type LinkScope, openPatientToken, sealPatientToken } from '../security/patient-token.js';
import { getAppointment } from './find.js';

export const PATIENT_LINK_PREFIX = '/a';
/** How long after the appointment's start its link keeps working. */
export const PATIENT_LINK_MARGIN_MS = 3 * DAY;
/** How long after the appointment's start the feedback link keeps working. */
export const FEEDBACK_LINK_MARGIN_MS = 14 * DAY;

/** Each page a patient can be sent to: where it lives and until when its link works. */
export const LINK_PAGES: Record<LinkScope, { prefix: string; expiresAt: (startsAt: number) => number }> = {
  'patient-link': { prefix: PATIENT_LINK_PREFIX, expiresAt: (startsAt) => startsAt + PATIENT_LINK_MARGIN_MS },
  // Answers are for the visit: the form closes when it starts.
  triage: { prefix: '/triagem', expiresAt: (startsAt) => startsAt },
  feedback: { prefix: '/feedback', expiresAt: (startsAt) => startsAt + FEEDBACK_LINK_MARGIN_MS },
};

export interface PatientLink {
  url: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/**
 * The link to an appointment at `origin`; null when it cannot have one (an id that is not a UUID).
 * It carries the clinic's reference, by which the Worker routes it to the clinic.
 */
export async function patientLink(
  deps: AppDeps,
  appointment: { tenantId: string; clinicRef: string | null; id: string; startsAt: number },
  origin: string,
  scope: LinkScope = 'patient-link',
): Promise<PatientLink | null> {
  const page = LINK_PAGES[scope];
  const expires = Math.floor(page.expiresAt(appointment.startsAt) / 1000);
  const token = await sealPatientToken(
    deps.links,
    {
      tenantId: appointment.tenantId,
      clinicRef: appointment.clinicRef,
      appointmentId: appointment.id,
      expires,
    },
    scope,
  );
  return token ? { url: `${origin}${page.prefix}/${token}`, expiresAt: expires * 1000 } : null;
}

/** The link to one of the clinic's appointments (404 for another clinic's), for its PMS to send itself. */
export async function appointmentPatientLink(
  deps: AppDeps,
  tenant: Tenant,
  id: string,
  origin: string,
): Promise<PatientLink> {
  const appointment = await getAppointment(deps, tenant, id);
  const link = await patientLink(deps, { ...appointment, clinicRef: tenant.clinicRef }, origin);
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
export async function openPatientLink(
  deps: AppDeps,
  token: string,
  scope: LinkScope = 'patient-link',
): Promise<OpenedLink> {
  const invalid = new AppError('invalid_signature', 'This link is not valid');
  const opened = await openPatientToken(deps.links, token, scope);
  if (!opened) throw invalid;
  const row = await findAppointmentForLink(deps.store.db, opened.appointmentId);
  const tenantRow = row && (await findTenant(deps.store.db, row.tenantId));
  if (!row || !tenantRow || !(await opened.madeFor({ id: row.tenantId, clinicRef: tenantRow.clinicRef }))) {
    throw invalid;
  }
  // Each page's own span from the visit's current start (triage closes when it starts).
  const until = Math.max(opened.expires * 1000, LINK_PAGES[scope].expiresAt(row.startsAt));
  if (until <= deps.clock.now()) {
    throw new AppError('link_expired', 'This link has expired; the clinic sends a new one with each message');
  }
  if (!isTenantActive(tenantRow)) throw invalid;
  return { tenant: toTenant(tenantRow), appointment: row };
}
