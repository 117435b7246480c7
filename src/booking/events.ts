// Events a clinic's systems can subscribe to (outbound webhooks). Each is queued in the same atomic
// unit as the change it reports, guarded by the same condition: no event without the change, and no
// change without its event.
import type { SQL } from 'drizzle-orm';
import type { Tenant } from '../accounts/tenants.js';
import { enqueueEventIf } from '../db/webhooks.js';
import { renderInstant } from '../domain/time.js';
import type { AppointmentView } from './appointment-view.js';

export const APPOINTMENT_EVENTS = [
  'appointment.created',
  'appointment.rescheduled',
  'appointment.cancelled',
  'appointment.attended',
  'appointment.no_show',
  'appointment.updated',
] as const;
export type AppointmentEvent = (typeof APPOINTMENT_EVENTS)[number];

/** What a patient sent back through a link: triage answers (data: {triage}), a rating (data: {feedback}). */
export const TRIAGE_COMPLETED = 'appointment.triage_completed';
export const FEEDBACK_RECEIVED = 'appointment.feedback_received';
export const PATIENT_FORM_EVENTS = [TRIAGE_COMPLETED, FEEDBACK_RECEIVED] as const;

/** The event for a history action: created, rescheduled, cancelled, attended, no_show or updated. */
export const eventForAction = (action: string): AppointmentEvent =>
  (APPOINTMENT_EVENTS as readonly string[]).includes(`appointment.${action}`)
    ? (`appointment.${action}` as AppointmentEvent)
    : 'appointment.updated';

export function appointmentEventIf(
  tenant: Tenant,
  type: AppointmentEvent,
  appointment: AppointmentView,
  changes: Record<string, { from: unknown; to: unknown }>,
  now: number,
  condition: SQL,
): SQL {
  const id = `evt_${crypto.randomUUID().replace(/-/g, '')}`;
  const payload = JSON.stringify({
    id,
    type,
    createdAt: renderInstant(now, tenant.config.timezone),
    tenantId: tenant.id,
    data: { appointment, changes },
  });
  return enqueueEventIf({ id, type, tenantId: tenant.id, payload, now }, condition);
}
