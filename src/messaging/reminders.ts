// The reminder job: for each upcoming appointment of a clinic that sends reminders, queue one
// reminder for its current start, due reminderHours before it (moved out of quiet hours). A moved
// appointment gets a new one (the key names the start); the old one is skipped when its turn comes.
// Racing runners queue the same key, and the second insert does nothing.

import { readTenantConfig } from '../accounts/tenant-config.js';
import { insertReminder, reminderCandidates } from '../db/messages.js';
import { findTenant } from '../db/tenants.js';
import type { AppDeps } from '../deps.js';
import { HOUR } from '../domain/time.js';
import { reminderSendTime } from './quiet-hours.js';
import { messagingSettingsSchema } from './settings.js';

/** Reminders are queued this long before they are due at most (quiet hours can move one earlier). */
const LOOKAHEAD_MS = 24 * HOUR;
const BATCH = 500;

export async function queueReminders(deps: AppDeps, now: number): Promise<number> {
  let queued = 0;
  const zones = new Map<string, string | null>();
  for (const c of await reminderCandidates(deps.store.db, now, LOOKAHEAD_MS, BATCH)) {
    const settings = messagingSettingsSchema.parse(JSON.parse(c.settings));
    if (!zones.has(c.tenantId)) {
      const tenant = await findTenant(deps.store.db, c.tenantId);
      zones.set(c.tenantId, tenant ? readTenantConfig(tenant.config).timezone : null);
    }
    const zone = zones.get(c.tenantId);
    if (!zone) continue;
    const planned = c.startsAt - settings.reminderHours * HOUR;
    // Booked after the planned time (a visit booked this afternoon for tomorrow morning): now.
    const sendAt = reminderSendTime(Math.max(planned, now), c.startsAt, zone, settings.quietHours);
    if (await insertReminder(deps.store.db, { ...c, sendAt, now })) queued++;
  }
  return queued;
}
