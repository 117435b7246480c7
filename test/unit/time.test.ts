import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { localDate, renderInstant, wallToInstant } from '../../src/domain/time.js';

const ZONES = [
  'Europe/Lisbon',
  'Atlantic/Azores',
  'America/Sao_Paulo',
  'Asia/Kolkata',
  'Australia/Lord_Howe',
  'Asia/Kathmandu',
  'America/St_Johns',
  'UTC',
  'Pacific/Chatham',
];

describe('localDate', () => {
  it('is the date luxon gives, across DST changes and odd offsets, and at the ends of four-digit years', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: Date.parse('1990-01-01T00:00:00Z'), max: Date.parse('2040-01-01T00:00:00Z') }),
          fc.integer({ min: Date.parse('0999-12-28T00:00:00Z'), max: Date.parse('1000-01-03T00:00:00Z') }),
          fc.integer({ min: Date.parse('9999-12-28T00:00:00Z'), max: 253402300799999 + 3 * 86_400_000 }),
        ),
        fc.constantFrom(...ZONES),
        (ms, zone) => {
          expect(localDate(ms, zone)).toBe(DateTime.fromMillis(ms, { zone }).toISODate());
        },
      ),
      { numRuns: 5000 },
    );
  });
});

describe('renderInstant', () => {
  it('renders exactly what luxon renders, across DST changes and odd offsets', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('1990-01-01T00:00:00Z'), max: Date.parse('2040-01-01T00:00:00Z') }),
        fc.constantFrom(...ZONES),
        fc.boolean(),
        (ms, zone, whole) => {
          const at = whole ? ms - (ms % 1000) : ms;
          expect(renderInstant(at, zone)).toBe(
            DateTime.fromMillis(at, { zone }).toISO({ suppressMilliseconds: true }),
          );
        },
      ),
      { numRuns: 5000 },
    );
  });

  it("is right inside an hour that holds a change not on the hour (St John's, 00:01 local in 1992)", () => {
    const ms = Date.parse('1992-10-25T02:41:14.975Z');
    expect(renderInstant(ms, 'America/St_Johns')).toBe('1992-10-24T23:11:14.975-03:30');
    expect(renderInstant(Date.parse('1992-10-25T02:30:00Z'), 'America/St_Johns')).toBe(
      DateTime.fromMillis(Date.parse('1992-10-25T02:30:00Z'), { zone: 'America/St_Johns' }).toISO({
        suppressMilliseconds: true,
      }),
    );
  });

  it('is right on both sides of the Lisbon changes of 2026', () => {
    expect(renderInstant(Date.parse('2026-03-29T00:59:59Z'), 'Europe/Lisbon')).toBe(
      '2026-03-29T00:59:59+00:00',
    );
    expect(renderInstant(Date.parse('2026-03-29T01:00:00Z'), 'Europe/Lisbon')).toBe(
      '2026-03-29T02:00:00+01:00',
    );
    expect(renderInstant(Date.parse('2026-10-25T00:59:59Z'), 'Europe/Lisbon')).toBe(
      '2026-10-25T01:59:59+01:00',
    );
    expect(renderInstant(Date.parse('2026-10-25T01:00:00Z'), 'Europe/Lisbon')).toBe(
      '2026-10-25T01:00:00+00:00',
    );
  });
});

describe('wallToInstant', () => {
  const wall = (iso: string) => Date.parse(`${iso}Z`);
  it('agrees with luxon for ordinary times in many zones', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: Date.parse('1995-01-01T00:00:00Z'), max: Date.parse('2035-01-01T00:00:00Z') })
          .map((ms) => ms - (ms % 60_000)),
        fc.constantFrom(...ZONES),
        (ms, zone) => {
          const local = DateTime.fromMillis(ms, { zone });
          const asWall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
          // An instant's own wall time maps back to it, unless that wall time is repeated (autumn).
          const back = wallToInstant(asWall, zone);
          expect(DateTime.fromMillis(back, { zone }).toFormat('yyyy-MM-dd HH:mm')).toBe(
            local.toFormat('yyyy-MM-dd HH:mm'),
          );
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('moves a time in the spring gap forward, like luxon', () => {
    expect(wallToInstant(wall('2027-03-28T01:30:00'), 'Europe/Lisbon')).toBe(
      Date.parse('2027-03-28T01:30:00Z'),
    );
    expect(new Date(wallToInstant(wall('2027-03-28T01:30:00'), 'Europe/Lisbon')).toISOString()).toBe(
      new Date(
        DateTime.fromObject(
          { year: 2027, month: 3, day: 28, hour: 1, minute: 30 },
          { zone: 'Europe/Lisbon' },
        ).toMillis(),
      ).toISOString(),
    );
    expect(wallToInstant(wall('2027-03-28T09:00:00'), 'Europe/Lisbon')).toBe(
      Date.parse('2027-03-28T08:00:00Z'),
    );
  });

  it('takes the later occurrence of the hour the autumn change repeats', () => {
    expect(wallToInstant(wall('2026-10-25T01:30:00'), 'Europe/Lisbon')).toBe(
      Date.parse('2026-10-25T01:30:00Z'),
    );
  });
});
