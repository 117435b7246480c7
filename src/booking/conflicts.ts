// "Would this time clash?" without booking: the same overlap rule the core writes with.
import type { Tenant } from '../accounts/tenants.js';
import { type AppointmentRow, listBusyAppointments } from '../db/appointments.js';
import type { AppDeps } from '../deps.js';
import { MINUTE } from '../domain/time.js';
import { type AppointmentView, viewAppointment } from './appointment-view.js';
import { getItem } from './catalog.js';

export interface ConflictQuery {
  professionalId: string;
  startsAt: number;
  durationMinutes?: number;
  serviceTypeId?: string;
  excludeId?: string;
}

/** The blocking appointments that a booking of this professional at this time would overlap. */
export async function findConflicts(
  deps: AppDeps,
  tenant: Tenant,
  q: ConflictQuery,
): Promise<{ hasConflicts: boolean; conflicts: AppointmentView[] }> {
  const rows = await conflictingRows(deps, tenant, q);
  const conflicts = rows.map((r) => viewAppointment(r, tenant.config.timezone));
  return { hasConflicts: conflicts.length > 0, conflicts };
}

/** The same, as stored rows (for doors that render their own shape). */
export async function conflictingRows(
  deps: AppDeps,
  tenant: Tenant,
  q: ConflictQuery,
): Promise<AppointmentRow[]> {
  await getItem(deps.store.db, 'professional', tenant.id, q.professionalId);
  let blockMinutes = q.durationMinutes ?? 30;
  if (q.serviceTypeId) {
    const service = await getItem(deps.store.db, 'service', tenant.id, q.serviceTypeId);
    blockMinutes = (q.durationMinutes ?? service.durationMinutes) + service.bufferMinutes;
  }
  const rows = await listBusyAppointments(deps.store.db, {
    tenantId: tenant.id,
    professionalId: q.professionalId,
    startsAt: q.startsAt,
    blocksUntil: q.startsAt + blockMinutes * MINUTE,
  });
  return rows.filter((r) => r.id !== q.excludeId);
}
