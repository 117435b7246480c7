// Automatic no-show detection: an appointment still confirmed or rescheduled when its end plus the
// clinic's grace period (config.noShowGraceMinutes) has passed becomes no_show, with its history
// entry and webhook event. Marking it attended before then stops it. Each change is guarded by the
// version that was read, so two runners (two processes, or cron + timer) change it once.
import { type Tenant, toTenant } from '../accounts/tenants.js';
import { updateAppointmentIf } from '../db/appointments.js';
import { dueForNoShow } from '../db/no-shows.js';
import { compile } from '../db/store.js';
import { findTenant } from '../db/tenants.js';
import type { AppDeps } from '../deps.js';
import { viewAppointment } from './appointment-view.js';
import { recordChange } from './record.js';

// Small units: each appointment takes three statements, and one unit holds the clinic's object
// (every other request of the clinic waits for it).
const BATCH = 25;

/** Marks every due appointment; returns how many this runner changed. */
export async function detectNoShows(deps: Pick<AppDeps, 'store'>, now: number): Promise<number> {
  const tenants = new Map<string, Tenant | undefined>();
  let changed = 0;
  for (;;) {
    const due = await dueForNoShow(deps.store.db, now, BATCH);
    if (!due.length) return changed;
    const commandId = crypto.randomUUID();
    const statements = [];
    for (const row of due) {
      if (!tenants.has(row.tenantId)) {
        const tenant = await findTenant(deps.store.db, row.tenantId);
        tenants.set(row.tenantId, tenant && toTenant(tenant));
      }
      const tenant = tenants.get(row.tenantId)!;
      const updated = {
        ...row,
        status: 'no_show' as const,
        version: row.version + 1,
        lastCommandId: commandId,
        updatedAt: now,
      };
      statements.push(
        updateAppointmentIf(row.tenantId, row.id, row.version, commandId, now, { status: 'no_show' }, []),
        ...recordChange({
          tenant,
          appointment: viewAppointment(updated, tenant.config.timezone),
          action: 'no_show',
          actor: 'system:no_show',
          changes: { status: { from: row.status, to: 'no_show' } },
          now,
          commandId,
        }),
      );
    }
    const results = await deps.store.atomic(statements.map(compile));
    const written = results.filter((_, i) => i % 3 === 0).reduce((n, r) => n + r.changes, 0);
    changed += written;
    // Nothing written: another runner took these rows first; they are no longer due, so the next read moves on.
    if (due.length < BATCH) return changed;
  }
}
