// When the clinic is open: the union of its active professionals' working hours (weekly pattern and
// dated exceptions), in the clinic's zone. A clinic has no hours of its own in the store; it is open
// when someone is there to see patients, so a holiday every professional takes closes it too.
import type { Tenant } from '../accounts/tenants.js';
import type { AppDeps } from '../deps.js';
import { DAY } from '../domain/time.js';
import { type Interval, mergeIntervals, workingIntervals } from '../domain/working-hours.js';
import { listItems } from './catalog.js';
import { exceptionsByProfessional, readWeekly } from './schedule.js';

/** The clinic's open intervals (UTC, merged) within [from, to). */
export async function openingHours(
  deps: AppDeps,
  tenant: Tenant,
  from: number,
  to: number,
): Promise<Interval[]> {
  const professionals = await listItems(deps.store.db, 'professional', tenant.id, { active: true });
  if (!professionals.length) return [];
  const exceptions = await exceptionsByProfessional(
    deps,
    tenant,
    professionals.map((p) => p.id),
    from,
    to,
  );
  const zone = tenant.config.timezone;
  return mergeIntervals(
    professionals.flatMap((p) => workingIntervals(readWeekly(p), exceptions.get(p.id) ?? [], zone, from, to)),
  );
}

export interface OpenState {
  open: boolean;
  /** When the clinic next opens (if closed) within two weeks; null when it does not. */
  opensAt: number | null;
}

/** Whether the clinic is open at `at`, and if not, when it opens next. */
export async function openState(deps: AppDeps, tenant: Tenant, at: number): Promise<OpenState> {
  const hours = await openingHours(deps, tenant, at, at + 14 * DAY);
  const open = hours.some((i) => i.start <= at && at < i.end);
  return { open, opensAt: open ? null : (hours.find((i) => i.start > at)?.start ?? null) };
}
