// Properties of working-hours expansion (src/domain/working-hours.ts). The oracle asks luxon, for one
// instant at a time, what the clinic's wall clock shows and whether that clock time is open that day;
// the expansion must agree at every quarter hour of the range, including the days clocks change.
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { DAY, HOUR, MINUTE } from '../../src/domain/time.js';
import {
  type DayInterval,
  type Interval,
  type ScheduleException,
  WEEKDAYS,
  type WeeklySchedule,
  workingIntervals,
} from '../../src/domain/working-hours.js';

/**
 * Each zone with the clock times a boundary may not fall on: where a spring gap or an autumn
 * repeat makes a wall time name no instant or two (those have their own example test below).
 * Lisbon changes at 01:00 local (gap 01:00–02:00, repeat 01:00–02:00); São Paulo changed at
 * midnight (gap 00:00–01:00, repeat 23:00–24:00 of the day before).
 */
const ZONES = [
  {
    zone: 'Europe/Lisbon',
    avoid: [60, 90],
    changeDays: ['2026-03-29', '2026-10-25', '2027-03-28', '2027-10-31'],
  },
  {
    zone: 'America/Sao_Paulo',
    avoid: [30, 1380, 1410],
    changeDays: ['2017-10-15', '2018-02-18', '2018-11-04', '2019-02-17'],
  },
] as const;

const GRID = Array.from({ length: 49 }, (_, i) => i * 30); // 00:00 … 24:00 every 30 minutes

const dayIntervalsArb = (avoid: readonly number[]) => {
  const minutes = GRID.filter((m) => !avoid.includes(m));
  return fc.array(
    fc
      .tuple(fc.constantFrom(...minutes), fc.constantFrom(...minutes))
      .filter(([a, b]) => a !== b)
      .map(([a, b]): DayInterval => ({ start: Math.min(a, b), end: Math.max(a, b) })),
    { maxLength: 3 },
  );
};

const weeklyArb = (avoid: readonly number[]): fc.Arbitrary<WeeklySchedule> =>
  fc.record(Object.fromEntries(WEEKDAYS.map((d) => [d, dayIntervalsArb(avoid)])) as never, {
    requiredKeys: [],
  });

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const exceptionArb = (avoid: readonly number[], firstDay: number): fc.Arbitrary<ScheduleException> => {
  const minutes = GRID.filter((m) => !avoid.includes(m));
  return fc
    .record({
      kind: fc.constantFrom('time_off', 'holiday', 'extra_hours'),
      startOffset: fc.integer({ min: 0, max: 8 }),
      days: fc.integer({ min: 0, max: 2 }),
      minutes: fc.option(fc.tuple(fc.constantFrom(...minutes), fc.constantFrom(...minutes)), { nil: null }),
    })
    .map(({ kind, startOffset, days, minutes }) => ({
      kind,
      startDate: isoDay(firstDay + startOffset * DAY),
      endDate: isoDay(firstDay + (startOffset + days) * DAY),
      startMinute: minutes ? Math.min(...minutes) : null,
      endMinute: minutes ? Math.max(...minutes) : null,
    }));
};

/** A zone, a range [from, to) of up to six days around a day its clocks change (or any day), a week. */
const caseArb = fc.constantFrom(...ZONES).chain(({ zone, avoid, changeDays }) =>
  fc
    .record({
      day: fc.oneof(
        fc.constantFrom(...changeDays),
        fc.integer({ min: Date.parse('2015-01-01'), max: Date.parse('2030-01-01') }).map(isoDay),
      ),
      fromShift: fc.integer({ min: -3 * 24 * 60, max: 24 * 60 }),
      length: fc.integer({ min: 1, max: 6 * 24 * 60 }),
      jitter: fc.integer({ min: 0, max: MINUTE - 1 }),
      weekly: weeklyArb(avoid),
    })
    .chain((c) => {
      const from = Date.parse(`${c.day}T12:00:00Z`) + c.fromShift * MINUTE + c.jitter;
      return fc
        .array(exceptionArb(avoid, from - DAY), { maxLength: 3 })
        .map((exceptions) => ({ zone, weekly: c.weekly, exceptions, from, to: from + c.length * MINUTE }));
    }),
);

/** The oracle: whether the clinic is open at instant `t`, read from its wall clock. */
function openAt(weekly: WeeklySchedule, exceptions: ScheduleException[], zone: string, t: number): boolean {
  const local = DateTime.fromMillis(t, { zone });
  const date = local.toISODate()!;
  const clock = local.hour * 60 + local.minute;
  const within = (start: number, end: number) => start <= clock && clock < end;
  const todays = exceptions.filter((e) => e.startDate <= date && date <= e.endDate);
  const closedAllDay = todays.some((e) => e.kind !== 'extra_hours' && e.startMinute === null);
  const closed =
    closedAllDay ||
    todays.some((e) => e.kind !== 'extra_hours' && within(e.startMinute ?? 0, e.endMinute ?? 1440));
  const open =
    (weekly[WEEKDAYS[local.weekday - 1]!] ?? []).some((i) => within(i.start, i.end)) ||
    todays.some((e) => e.kind === 'extra_hours' && within(e.startMinute ?? 0, e.endMinute ?? 1440));
  return open && !closed;
}

const contains = (intervals: Interval[], t: number) => intervals.some((i) => i.start <= t && t < i.end);

describe('workingIntervals', () => {
  it('is sorted, merged (never overlapping nor touching) and inside [from, to)', () => {
    fc.assert(
      fc.property(caseArb, ({ zone, weekly, exceptions, from, to }) => {
        const intervals = workingIntervals(weekly, exceptions, zone, from, to);
        intervals.forEach((i, k) => {
          expect(i.end).toBeGreaterThan(i.start);
          expect(i.start).toBeGreaterThanOrEqual(from);
          expect(i.end).toBeLessThanOrEqual(to);
          if (k > 0) expect(i.start).toBeGreaterThan(intervals[k - 1]!.end);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('is open exactly when the wall clock reads a working time of that local day, DST days included', () => {
    fc.assert(
      fc.property(caseArb, ({ zone, weekly, exceptions, from, to }) => {
        const intervals = workingIntervals(weekly, exceptions, zone, from, to);
        // Boundaries sit on whole quarter hours in these zones; probe each one and the range's ends.
        const probes = [from, to - 1];
        for (let t = Math.ceil(from / (15 * MINUTE)) * 15 * MINUTE; t < to; t += 15 * MINUTE) probes.push(t);
        for (const t of probes) {
          const expected = openAt(weekly, exceptions, zone, t);
          expect(contains(intervals, t), `${zone} ${DateTime.fromMillis(t, { zone }).toISO()}`).toBe(
            expected,
          );
        }
      }),
      { numRuns: 200 },
    );
  });

  it('keeps 09:00–17:00 on the wall clock on both Lisbon change days (8 hours each)', () => {
    const weekly: WeeklySchedule = { sunday: [{ start: 9 * 60, end: 17 * 60 }] };
    for (const [day, offset] of [
      ['2026-03-29', '+01:00'],
      ['2026-10-25', '+00:00'],
    ] as const) {
      const from = Date.parse(`${day}T00:00:00Z`) - 2 * HOUR;
      const [only, ...rest] = workingIntervals(weekly, [], 'Europe/Lisbon', from, from + 26 * HOUR);
      expect(rest).toEqual([]);
      expect(only).toEqual({
        start: Date.parse(`${day}T09:00:00${offset}`),
        end: Date.parse(`${day}T17:00:00${offset}`),
      });
    }
  });

  it('makes the day São Paulo skipped midnight 23 hours long and the repeated hour count twice', () => {
    const allDay = [{ start: 0, end: 1440 }];
    const zone = 'America/Sao_Paulo';
    // 2018-11-04 (Sunday) began at 01:00 local; 2019-02-16 (Saturday) ran 23:00–24:00 twice.
    const spring = workingIntervals(
      { sunday: allDay },
      [],
      zone,
      Date.parse('2018-11-03T12:00:00Z'),
      Date.parse('2018-11-06T12:00:00Z'),
    );
    expect(spring).toEqual([
      { start: Date.parse('2018-11-04T01:00:00-02:00'), end: Date.parse('2018-11-05T00:00:00-02:00') },
    ]);
    expect(spring[0]!.end - spring[0]!.start).toBe(23 * HOUR);
    const autumn = workingIntervals(
      { saturday: allDay },
      [],
      zone,
      Date.parse('2019-02-15T12:00:00Z'),
      Date.parse('2019-02-18T12:00:00Z'),
    );
    expect(autumn).toEqual([
      { start: Date.parse('2019-02-16T00:00:00-02:00'), end: Date.parse('2019-02-17T00:00:00-03:00') },
    ]);
    expect(autumn[0]!.end - autumn[0]!.start).toBe(25 * HOUR);
  });

  it('moves a boundary inside the spring gap forward by the gap, as luxon does (01:30 → 02:30 in Lisbon)', () => {
    const weekly: WeeklySchedule = { sunday: [{ start: 90, end: 4 * 60 }] };
    const from = Date.parse('2026-03-28T12:00:00Z');
    expect(workingIntervals(weekly, [], 'Europe/Lisbon', from, from + DAY)).toEqual([
      { start: Date.parse('2026-03-29T02:30:00+01:00'), end: Date.parse('2026-03-29T04:00:00+01:00') },
    ]);
  });
});
