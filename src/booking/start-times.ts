// Free start times: what a patient picks from (the booking page, the voice agent). A patient picks a
// time, not a professional, so each start time appears once, taken by the first free professional in
// name order. The range is clipped to the booking window and to the longest range availability
// answers (MAX_RANGE_DAYS), so a door can ask for "the next free times" without knowing either rule.
import type { Tenant } from '../accounts/tenants.js';
import type { AppDeps } from '../deps.js';
import { DAY } from '../domain/time.js';
import { type CatalogSource, catalogOnce } from './active-catalog.js';
import { type AvailabilityQuery, findAvailability, MAX_RANGE_DAYS, type Slot } from './availability.js';
import { bookingWindow } from './rules.js';

/** What availability takes; `limit` counts distinct start times here (a page a day's worth, a voice agent a handful). */
export type StartTimesQuery = AvailabilityQuery;

export async function freeStartTimes(
  deps: AppDeps,
  tenant: Tenant,
  q: StartTimesQuery,
  catalog: CatalogSource = catalogOnce(deps, tenant.id),
): Promise<Slot[]> {
  const { earliest, latest } = bookingWindow(tenant, deps.clock.now());
  const start = Math.max(q.from, earliest);
  const end = Math.min(q.to, latest + 1, start + MAX_RANGE_DAYS * DAY);
  const times: Slot[] = [];
  // Several professionals may share a time; ask for pages until enough distinct times are found.
  for (let cursor = start; times.length < q.limit && cursor < end; ) {
    const { slots, nextFrom } = await findAvailability(
      deps,
      tenant,
      {
        serviceTypeId: q.serviceTypeId,
        professionalId: q.professionalId,
        from: cursor,
        to: end,
        limit: 100,
        accept: q.accept,
      },
      catalog,
    );
    for (const slot of slots) {
      if (times.length === q.limit) break;
      if (times.at(-1)?.startsAt !== slot.startsAt) times.push(slot);
    }
    if (nextFrom === null) break;
    // A page can be all one start time (many professionals free at once): step past it.
    cursor = nextFrom > cursor ? nextFrom : cursor + 1;
  }
  return times;
}
