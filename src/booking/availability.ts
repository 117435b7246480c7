// Free slots: what the voice agent and the booking page may offer. A slot is computed from the same
// inputs the booking core checks (working hours, notice, horizon, qualification, the overlap rule),
// so a slot offered here is a slot the core will book.
import type { Tenant } from '../accounts/tenants.js';
import type { ProfessionalRow, ServiceRow } from '../db/catalog.js';
import { type BusySpan, busyRead, type ExceptionRow, exceptionsRead } from '../db/schedule.js';
import type { AppDeps } from '../deps.js';
import { AppError, fieldInvalid } from '../domain/errors.js';
import { freeSlots } from '../domain/slots.js';
import { DAY, MINUTE } from '../domain/time.js';
import { withinWorkingHours, workingIntervals } from '../domain/working-hours.js';
import { type Catalog, type CatalogSource, catalogOnce } from './active-catalog.js';
import {
  assertQualified,
  bookableProfessional,
  bookableService,
  bookingWindow,
  outsideWorkingHours,
  qualifiedFor,
} from './rules.js';
import { exceptionsByProfessional, groupExceptions, localDateRange, readWeekly } from './schedule.js';

export const MAX_RANGE_DAYS = 31;

export interface AvailabilityQuery {
  serviceTypeId: string;
  professionalId?: string;
  from: number;
  to: number;
  limit: number;
  /** Keep only starts this accepts (e.g. a part of the day), before the limit applies. */
  accept?: (startsAt: number) => boolean;
}

export interface Slot {
  startsAt: number;
  endsAt: number;
  professionalId: string;
}

/** The professionals who may take this service: the one asked for, or every active qualified one. */
async function candidates(
  deps: AppDeps,
  tenant: Tenant,
  catalog: Catalog,
  service: ServiceRow,
  professionalId?: string,
): Promise<ProfessionalRow[]> {
  if (professionalId) {
    const professional = await bookableProfessional(deps, tenant, professionalId, catalog);
    assertQualified(service, professional.id);
    return [professional];
  }
  const allowed = qualifiedFor(service);
  const active = catalog.professionals.filter((p) => p.active);
  return allowed.length ? active.filter((p) => allowed.includes(p.id)) : active;
}

/**
 * Free slots in [from, to) ordered by start (then professional name), at most `limit`. `source` is
 * the catalogue the caller already holds (a voice session's); without it one is read.
 */
export async function findAvailability(
  deps: AppDeps,
  tenant: Tenant,
  q: AvailabilityQuery,
  source: CatalogSource = catalogOnce(deps, tenant.id),
): Promise<{ slots: Slot[]; nextFrom: number | null }> {
  if (q.to <= q.from) throw fieldInvalid('to', 'Must be after from');
  if (q.to - q.from > MAX_RANGE_DAYS * DAY)
    throw fieldInvalid('to', `The range may span at most ${MAX_RANGE_DAYS} days`);
  const catalog = await source.read();
  const service = await bookableService(deps, tenant, q.serviceTypeId, catalog);
  const professionals = await candidates(deps, tenant, catalog, service, q.professionalId);
  if (professionals.length === 0) return { slots: [], nextFrom: null };
  const ids = professionals.map((p) => p.id);
  const someoneHasWeeklyHours = professionals.some((p) =>
    Object.values(readWeekly(p)).some((day) => day && day.length > 0),
  );
  const zone = tenant.config.timezone;
  const { earliest, latest } = bookingWindow(tenant, deps.clock.now());
  const durationMs = service.durationMinutes * MINUTE;
  const grid = {
    durationMs,
    bufferMs: service.bufferMinutes * MINUTE,
    stepMs: tenant.config.slotStepMinutes * MINUTE,
  };
  const first = Math.max(earliest, q.from);
  const last = Math.min(latest, q.to - 1);
  const page: Slot[] = [];
  // The exceptions of the whole range are a handful: read once, with the first window's bookings, and
  // each window takes those touching its dates (the read's own rule), instead of one read per window.
  let rangeExceptions: ExceptionRow[] | undefined;
  // Slots come out in time order, so the range is walked in windows that double (2, 4, 8... days),
  // each reading only its own bookings and exceptions, and the walk stops once the page is full: a
  // 31-day query for a busy clinic usually reads a day or two.
  for (let windowStart = first, span = 2 * DAY; windowStart <= last; windowStart += span, span *= 2) {
    const windowEnd = Math.min(last + 1, windowStart + span);
    // Working hours a day either side: intervals stay whole (the grid starts where the hours start,
    // not at `from`), and a slot starting near the window's end may run past it.
    const [readFrom, readTo] = [windowStart - DAY, windowEnd + DAY];
    // A window's exceptions and bookings in one round trip when someone keeps weekly hours. When
    // nobody does, only extra hours (an exception) could open the window: its bookings, which may be
    // many, are read only if one does.
    const [fromDate, toDate] = localDateRange(zone, readFrom, readTo);
    // Bookings matter only where a slot of this window could sit: from its start to the blocked end
    // of a slot starting at its last moment. Reading them over the working hours' extra days too was
    // 40% of the rows of a 31-day query.
    const busyNow = busyRead(tenant.id, ids, windowStart, windowEnd + grid.durationMs + grid.bufferMs);
    let busy: BusySpan[] | undefined;
    if (!rangeExceptions) {
      const [rangeFrom, rangeTo] = localDateRange(zone, first - DAY, last + 1 + DAY);
      const exceptionsNow = exceptionsRead(deps.store.db, tenant.id, rangeFrom, rangeTo, catalog);
      [rangeExceptions, busy] = someoneHasWeeklyHours
        ? await deps.store.batch(exceptionsNow, busyNow)
        : [(await deps.store.batch(exceptionsNow))[0], undefined];
    } else if (someoneHasWeeklyHours) {
      busy = (await deps.store.batch(busyNow))[0];
    }
    const exceptions = groupExceptions(
      rangeExceptions.filter((r) => r.startDate <= toDate && r.endDate >= fromDate),
      ids,
    );
    const hours = professionals.map((professional) =>
      workingIntervals(
        readWeekly(professional),
        exceptions.get(professional.id) ?? [],
        zone,
        readFrom,
        readTo,
      ),
    );
    if (hours.every((h) => h.length === 0)) continue;
    busy ??= (await deps.store.batch(busyNow))[0];
    // Each professional's bookings, in one pass over the window's (not one pass per professional).
    const busyOf = new Map<string, BusySpan[]>(ids.map((id) => [id, []]));
    for (const b of busy) busyOf.get(b.professionalId)?.push(b);
    const plans = professionals.map((professional, i) => ({
      professional,
      working: hours[i]!,
      busy: busyOf.get(professional.id)!,
    }));
    for (let dayStart = windowStart; dayStart < windowEnd; dayStart += DAY) {
      // Professionals in name order, each one's slots in time order: a stable sort by start keeps
      // the name order among slots at the same time.
      const day: Slot[] = [];
      for (const { professional, working, busy: mine } of plans) {
        const found = freeSlots({
          ...grid,
          working,
          busy: mine,
          earliest: dayStart,
          latest: Math.min(windowEnd - 1, dayStart + DAY - 1),
        });
        for (const s of found) {
          if (q.accept && !q.accept(s.start)) continue;
          day.push({ startsAt: s.start, endsAt: s.end, professionalId: professional.id });
        }
      }
      day.sort((a, b) => a.startsAt - b.startsAt);
      for (const slot of day) {
        if (page.length === q.limit) return { slots: page, nextFrom: slot.startsAt };
        page.push(slot);
      }
    }
  }
  return { slots: page, nextFrom: null };
}

/**
 * The first qualified professional (in name order) free at exactly this start. When none is, says
 * why: nobody works then (outside_working_hours) or everybody who does is booked (slot_conflict).
 */
export async function firstFreeProfessional(
  deps: AppDeps,
  tenant: Tenant,
  service: ServiceRow,
  startsAt: number,
  source: CatalogSource = catalogOnce(deps, tenant.id),
): Promise<string> {
  const { slots } = await findAvailability(
    deps,
    tenant,
    { serviceTypeId: service.id, from: startsAt, to: startsAt + 1, limit: 1 },
    source,
  );
  if (slots[0]) return slots[0].professionalId;
  const endsAt = startsAt + service.durationMinutes * MINUTE;
  const professionals = await candidates(deps, tenant, await source.read(), service);
  const exceptions = await exceptionsByProfessional(
    deps,
    tenant,
    professionals.map((p) => p.id),
    startsAt,
    endsAt,
  );
  const someoneWorks = professionals.some((p) =>
    withinWorkingHours(readWeekly(p), exceptions.get(p.id) ?? [], tenant.config.timezone, startsAt, endsAt),
  );
  if (!someoneWorks) throw outsideWorkingHours();
  throw new AppError('slot_conflict', 'No professional is free for this service at that time');
}
