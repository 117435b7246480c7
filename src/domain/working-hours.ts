// Working hours: a weekly pattern plus dated exceptions, both in the clinic's wall-clock time, turned
// into UTC intervals. Each local day is converted on its own, so a DST change moves nothing: 09:00
// stays 09:00 on the clock, whatever the offset that day.
import { DAY, MINUTE, offsetMinutes, wallToInstant } from './time.js';

/** The local calendar date of an instant, as that date's midnight written as UTC. */
function localMidnightWall(ms: number, zone: string): number {
  const wall = ms + offsetMinutes(ms, zone) * MINUTE;
  return wall - (((wall % DAY) + DAY) % DAY);
}

export const WEEKDAYS = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Minutes after local midnight, [start, end), end up to 1440. */
export interface DayInterval {
  start: number;
  end: number;
}

export type WeeklySchedule = Partial<Record<Weekday, DayInterval[]>>;

export interface ScheduleException {
  kind: 'time_off' | 'holiday' | 'extra_hours';
  startDate: string;
  endDate: string;
  startMinute: number | null;
  endMinute: number | null;
}

/** A UTC instant interval [start, end) in epoch ms. */
export interface Interval {
  start: number;
  end: number;
}

export const minuteToClock = (m: number) =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

export function clockToMinute(text: string): number | null {
  const match = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(text);
  if (!match) return null;
  const minute = Number(match[1]) * 60 + Number(match[2]);
  return minute <= 1440 ? minute : null;
}

/** Sorted, merged intervals. */
export function mergeIntervals<T extends { start: number; end: number }>(intervals: T[]): Interval[] {
  const sorted = intervals.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const { start, end } of sorted) {
    const last = merged.at(-1);
    if (last && start <= last.end) last.end = Math.max(last.end, end);
    else merged.push({ start, end });
  }
  return merged;
}

/** `intervals` minus `holes` (both sorted and merged). */
export function subtractIntervals(intervals: Interval[], holes: Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const interval of intervals) {
    let cursor = interval.start;
    for (const hole of holes) {
      if (hole.end <= cursor || hole.start >= interval.end) continue;
      if (hole.start > cursor) out.push({ start: cursor, end: hole.start });
      cursor = Math.max(cursor, hole.end);
    }
    if (cursor < interval.end) out.push({ start: cursor, end: interval.end });
  }
  return out;
}

/** The instant at `minute` after midnight of a local day (`dayWall`: that midnight written as UTC). */
const localInstant = (dayWall: number, minute: number, zone: string) =>
  wallToInstant(dayWall + minute * MINUTE, zone);

const covers = (e: ScheduleException, isoDate: string) => e.startDate <= isoDate && isoDate <= e.endDate;

/** The working intervals (UTC) that intersect [from, to), from the weekly pattern and exceptions. */
export function workingIntervals(
  weekly: WeeklySchedule,
  exceptions: ScheduleException[],
  zone: string,
  from: number,
  to: number,
): Interval[] {
  // Nothing opens a day (no weekly hours, no extra hours): nothing to walk. Availability asks this
  // of every professional for every window, also of those who keep no hours.
  if (exceptions.length === 0 && !WEEKDAYS.some((d) => weekly[d]?.length)) return [];
  const open: Interval[] = [];
  const closed: Interval[] = [];
  // Local days are walked as UTC calendar dates (no zone arithmetic per day), one day before and
  // after the range so intervals crossing its edges are seen whole.
  const startDay = localMidnightWall(from - DAY, zone);
  const lastDay = localMidnightWall(to + DAY, zone);
  for (let day = startDay; day <= lastDay; day += DAY) {
    // The date's text only when there are exceptions to compare it with (most days have none).
    const todays = exceptions.length
      ? exceptions.filter((e) => covers(e, new Date(day).toISOString().slice(0, 10)))
      : exceptions;
    const wholeDayOff = todays.some((e) => e.kind !== 'extra_hours' && e.startMinute === null);
    if (!wholeDayOff) {
      // Day 0 of the epoch (1970-01-01) was a Thursday; WEEKDAYS starts on Monday.
      for (const i of weekly[WEEKDAYS[(((Math.floor(day / DAY) + 3) % 7) + 7) % 7]!] ?? []) {
        open.push({ start: localInstant(day, i.start, zone), end: localInstant(day, i.end, zone) });
      }
    }
    for (const e of todays) {
      const start = localInstant(day, e.startMinute ?? 0, zone);
      const end = localInstant(day, e.endMinute ?? 1440, zone);
      if (e.kind === 'extra_hours') open.push({ start, end });
      else closed.push({ start, end });
    }
  }
  return subtractIntervals(mergeIntervals(open), mergeIntervals(closed))
    .map((i) => ({ start: Math.max(i.start, from), end: Math.min(i.end, to) }))
    .filter((i) => i.end > i.start);
}

/** Whether [start, end) lies inside one working interval. */
export function withinWorkingHours(
  weekly: WeeklySchedule,
  exceptions: ScheduleException[],
  zone: string,
  start: number,
  end: number,
): boolean {
  return workingIntervals(weekly, exceptions, zone, start, end).some((i) => i.start <= start && i.end >= end);
}
