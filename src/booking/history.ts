// An appointment's history: who changed what, from → to, and when, oldest first. Instants stay
// epoch milliseconds; each door renders them in the clinic's zone.
import type { Tenant } from '../accounts/tenants.js';
import { listHistory } from '../db/appointments.js';
import type { AppDeps } from '../deps.js';
import { getAppointment } from './find.js';

export interface HistoryEntry {
  id: string;
  action: string;
  actor: string;
  changes: Record<string, { from: unknown; to: unknown }>;
  occurredAt: number;
}

/** The history of one of the clinic's appointments; another clinic's id is appointment_not_found. */
export async function appointmentHistory(deps: AppDeps, tenant: Tenant, id: string): Promise<HistoryEntry[]> {
  const appointment = await getAppointment(deps, tenant, id);
  const rows = await listHistory(deps.store.db, tenant.id, appointment.id);
  return rows.map((h) => ({
    id: h.id,
    action: h.action,
    actor: h.actor,
    changes: JSON.parse(h.changes) as HistoryEntry['changes'],
    occurredAt: h.occurredAt,
  }));
}
