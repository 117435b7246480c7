// Free slots: what the voice agent and the booking page may offer. A slot is computed from the same
// inputs the booking core checks (working hours, notice, horizon, qualification, the overlap rule),
// so a slot offered here is a slot the core will book.
import type { Tenant } from '../accounts/tenants.js';
import type { ProfessionalRow, ServiceRow } from '../db/catalog.js';
import { listBusy } from '../db/schedule.js';
import type { AppDeps } from '../deps.js';
import { freeSlots } from '../domain/slots.js';
import { DAY, MINUTE } from '../domain/time.js';
import { workingIntervals } from '../domain/working-hours.js';
import { AppError, fieldInvalid } from '../http/errors.js';
import { listItems } from './catalog.js';
import {
  assertQualified,
  bookableProfessional,
  bookableService,
  bookingWindow,
  outsideWorkingHours,
  qualifiedFor,
} from './rules.js';
import { exceptionsByProfessional, readWeekly } from './schedule.js';

export const MAX_RANGE_DAYS = 31;

export interface AvailabilityQuery {
  serviceTypeId: string;
  professionalId?: string;
  from: number;
  to: number;
  limit: number;
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
  service: ServiceRow,
  professionalId?: string,
): Promise<ProfessionalRow[]> {
  if (professionalId) {
    const professional = await bookableProfessional(deps, tenant, professionalId);
    assertQualified(service, professional.id);
    return [professional];
  }
  const allowed = qualifiedFor(service);
  const active = await listItems(deps.store.db, 'professional', tenant.id, { active: true });
  return allowed.length ? active.filter((p) => allowed.includes(p.id)) : active;
}

/** Free slots in [from, to) ordered by start (then professional name), at most `limit`. */
export async function findAvailability(
  deps: AppDeps,
  tenant: Tenant,
  q: AvailabilityQuery,
): Promise<{ slots: Slot[]; nextFrom: number | null }> {
  if (q.to <= q.from) throw fieldInvalid('to', 'Must be after from');
  if (q.to - q.from > MAX_RANGE_DAYS * DAY)
    throw fieldInvalid('to', `The range may span at most ${MAX_RANGE_DAYS} days`);
  const service = await bookableService(deps, tenant, q.serviceTypeId);
  const professionals = await candidates(deps, tenant, service, q.professionalId);
  const ids = professionals.map((p) => p.id);
  const zone = tenant.config.timezone;
  const { earliest, latest } = bookingWindow(tenant, deps.clock.now());
  // Look a day past `to` so a slot that starts before `to` may end after it.
  const horizonEnd = q.to + DAY;
  const [exceptions, busy] = await Promise.all([
    exceptionsByProfessional(deps, tenant, ids, q.from, horizonEnd),
    listBusy(deps.store.db, tenant.id, ids, q.from, horizonEnd),
  ]);
  const slots: (Slot & { rank: number })[] = [];
  professionals.forEach((professional, rank) => {
    const working = workingIntervals(
      readWeekly(professional),
      exceptions.get(professional.id) ?? [],
      zone,
      q.from,
      horizonEnd,
    );
    const found = freeSlots({
      working,
      busy: busy.filter((b) => b.professionalId === professional.id),
      durationMs: service.durationMinutes * MINUTE,
      bufferMs: service.bufferMinutes * MINUTE,
      stepMs: tenant.config.slotStepMinutes * MINUTE,
      earliest: Math.max(earliest, q.from),
      latest: Math.min(latest, q.to - 1),
    });
    for (const s of found)
      slots.push({ startsAt: s.start, endsAt: s.end, professionalId: professional.id, rank });
  });
  slots.sort((a, b) => a.startsAt - b.startsAt || a.rank - b.rank);
  const page = slots.slice(0, q.limit).map(({ rank: _, ...slot }) => slot);
  return { slots: page, nextFrom: slots.length > q.limit ? slots[q.limit]!.startsAt : null };
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
): Promise<string> {
  const { slots } = await findAvailability(deps, tenant, {
    serviceTypeId: service.id,
    from: startsAt,
    to: startsAt + 1,
    limit: 1,
  });
  if (slots[0]) return slots[0].professionalId;
  const endsAt = startsAt + service.durationMinutes * MINUTE;
  const professionals = await candidates(deps, tenant, service);
  const exceptions = await exceptionsByProfessional(
    deps,
    tenant,
    professionals.map((p) => p.id),
    startsAt,
    endsAt,
  );
  const someoneWorks = professionals.some((p) =>
    workingIntervals(
      readWeekly(p),
      exceptions.get(p.id) ?? [],
      tenant.config.timezone,
      startsAt,
      endsAt,
    ).some((i) => i.start <= startsAt && i.end >= endsAt),
  );
  if (!someoneWorks) throw outsideWorkingHours();
  throw new AppError('slot_conflict', 'No professional is free for this service at that time');
}
