// A professional's working hours: the weekly pattern, dated exceptions, and the calendar (hours +
// busy time) that availability and the booking rules read.

import type { Tenant } from '../accounts/tenants.js';
import type { ProfessionalRow } from '../db/catalog.js';
import {
  deleteException,
  type ExceptionRow,
  insertException,
  listExceptions,
  saveWeeklySchedule,
} from '../db/schedule.js';
import type { AppDeps } from '../deps.js';
import { AppError, fieldInvalid } from '../domain/errors.js';
import { DAY, localDate } from '../domain/time.js';
import {
  type ScheduleException,
  WEEKDAYS,
  type WeeklySchedule,
  withinWorkingHours,
} from '../domain/working-hours.js';
import { getItem } from './catalog.js';

export function readWeekly(row: Pick<ProfessionalRow, 'weeklySchedule'>): WeeklySchedule {
  return row.weeklySchedule;
}

/** Validates a weekly pattern: intervals inside the day, start before end, no overlaps. */
export function normaliseWeekly(weekly: WeeklySchedule): WeeklySchedule {
  const out: WeeklySchedule = {};
  for (const day of WEEKDAYS) {
    const intervals = weekly[day] ?? [];
    const sorted = [...intervals].sort((a, b) => a.start - b.start);
    sorted.forEach((i, n) => {
      if (!(i.start >= 0 && i.end <= 1440 && i.start < i.end)) {
        throw fieldInvalid(`weekly.${day}.${n}`, 'Each interval needs start before end, within the day');
      }
      const next = sorted[n + 1];
      if (next && next.start < i.end) throw fieldInvalid(`weekly.${day}`, 'Intervals must not overlap');
    });
    if (sorted.length) out[day] = sorted.map(({ start, end }) => ({ start, end }));
  }
  return out;
}

export async function getSchedule(deps: AppDeps, tenant: Tenant, professionalId: string) {
  const professional = await getItem(deps.store.db, 'professional', tenant.id, professionalId);
  return readWeekly(professional);
}

export async function replaceSchedule(
  deps: AppDeps,
  tenant: Tenant,
  professionalId: string,
  weekly: WeeklySchedule,
) {
  await getItem(deps.store.db, 'professional', tenant.id, professionalId);
  const normalised = normaliseWeekly(weekly);
  await saveWeeklySchedule(deps.store.db, tenant.id, professionalId, normalised, deps.clock.now());
  return normalised;
}

/** A dated exception as stored (with its id, reason and creation time). */
export type StoredException = ExceptionRow;

export const toScheduleException = (row: ExceptionRow): ScheduleException => ({
  kind: row.kind as ScheduleException['kind'],
  startDate: row.startDate,
  endDate: row.endDate,
  startMinute: row.startMinute,
  endMinute: row.endMinute,
});

export interface NewException {
  kind: ScheduleException['kind'];
  date: string;
  endDate?: string;
  startMinute?: number | null;
  endMinute?: number | null;
  reason?: string | null;
}

export async function addException(
  deps: AppDeps,
  tenant: Tenant,
  professionalId: string,
  input: NewException,
) {
  await getItem(deps.store.db, 'professional', tenant.id, professionalId);
  const endDate = input.endDate ?? input.date;
  if (endDate < input.date) throw fieldInvalid('endDate', 'Must not be before date');
  const timed = input.startMinute != null || input.endMinute != null;
  if (
    timed &&
    !(input.startMinute != null && input.endMinute != null && input.startMinute < input.endMinute)
  ) {
    throw fieldInvalid(
      'startTime',
      'Give both startTime and endTime, start before end, or neither for the whole day',
    );
  }
  if (input.kind === 'extra_hours' && !timed)
    throw fieldInvalid('startTime', 'Extra hours need startTime and endTime');
  if (input.kind === 'holiday' && timed)
    throw fieldInvalid('startTime', 'A holiday is whole days; use time_off for part of a day');
  const row: ExceptionRow = {
    id: crypto.randomUUID(),
    tenantId: tenant.id,
    professionalId,
    kind: input.kind,
    startDate: input.date,
    endDate,
    startMinute: timed ? input.startMinute! : null,
    endMinute: timed ? input.endMinute! : null,
    reason: input.reason ?? null,
    createdAt: deps.clock.now(),
  };
  await insertException(deps.store.db, row);
  return row;
}

export async function findExceptions(
  deps: AppDeps,
  tenant: Tenant,
  professionalId: string,
  fromDate: string,
  toDate: string,
) {
  await getItem(deps.store.db, 'professional', tenant.id, professionalId);
  return listExceptions(deps.store.db, tenant.id, [professionalId], fromDate, toDate);
}

export async function removeException(deps: AppDeps, tenant: Tenant, professionalId: string, id: string) {
  await getItem(deps.store.db, 'professional', tenant.id, professionalId);
  if (!(await deleteException(deps.store.db, tenant.id, professionalId, id))) {
    throw new AppError('exception_not_found', `Exception ${id} not found`);
  }
}

/** Local dates (with a day's margin) that [from, to) touches in the clinic's zone. */
export function localDateRange(zone: string, from: number, to: number): [string, string] {
  return [localDate(from - DAY, zone), localDate(to + DAY, zone)];
}

/** Exceptions per professional for [from, to). */
export async function exceptionsByProfessional(
  deps: AppDeps,
  tenant: Tenant,
  professionalIds: string[],
  from: number,
  to: number,
) {
  const [fromDate, toDate] = localDateRange(tenant.config.timezone, from, to);
  const rows = await listExceptions(deps.store.db, tenant.id, professionalIds, fromDate, toDate);
  return groupExceptions(rows, professionalIds);
}

/** Exception rows (the clinic's) per professional of `professionalIds`, others left out. */
export function groupExceptions(rows: ExceptionRow[], professionalIds: string[]) {
  const byProfessional = new Map<string, ScheduleException[]>(professionalIds.map((id) => [id, []]));
  for (const row of rows) byProfessional.get(row.professionalId)?.push(toScheduleException(row));
  return byProfessional;
}

/** Whether [start, end) lies inside the professional's working hours. */
export async function isWithinHours(
  deps: AppDeps,
  tenant: Tenant,
  professional: ProfessionalRow,
  start: number,
  end: number,
) {
  const exceptions =
    (await exceptionsByProfessional(deps, tenant, [professional.id], start, end)).get(professional.id) ?? [];
  return withinWorkingHours(readWeekly(professional), exceptions, tenant.config.timezone, start, end);
}
