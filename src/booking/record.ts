// Every change to an appointment leaves its traces, written in the change's own atomic unit and
// only if it happened: a history entry (who, what, from → to, when), an event for webhooks, and the
// message the clinic sends the patient about it, if any (src/messaging/enqueue.ts).
import type { SQL } from 'drizzle-orm';
import type { Tenant } from '../accounts/tenants.js';
import { insertHistoryIf, writtenBy } from '../db/appointments.js';
import { messageForChange } from '../messaging/enqueue.js';
import type { AppointmentView } from './appointment-view.js';
import { appointmentEventIf, eventForAction } from './events.js';

export interface RecordedChange {
  tenant: Tenant;
  appointment: AppointmentView;
  /** created, rescheduled, cancelled, attended, no_show, updated. */
  action: string;
  actor: string;
  changes: Record<string, { from: unknown; to: unknown }>;
  now: number;
  commandId: string;
}

export function recordChange(r: RecordedChange): SQL[] {
  const id = r.appointment.id;
  return [
    insertHistoryIf(
      {
        tenantId: r.tenant.id,
        appointmentId: id,
        action: r.action,
        actor: r.actor,
        changes: r.changes,
        occurredAt: r.now,
      },
      r.commandId,
    ),
    appointmentEventIf(
      r.tenant,
      eventForAction(r.action),
      r.appointment,
      r.changes,
      r.now,
      writtenBy(id, r.commandId),
    ),
    ...messageForChange(
      { tenantId: r.tenant.id, appointmentId: id, action: r.action, commandId: r.commandId, now: r.now },
      writtenBy(id, r.commandId),
    ),
  ];
}
