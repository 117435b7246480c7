import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { localDate, parseInstant, renderInstant, wallToInstant } from '../../src/domain/time.js';

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

describe('parseInstant', () => {
  // What it answered before the hand-read shape: luxon alone.
  const byLuxon = (text: string) => {
    if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(text)) return null;
    const parsed = DateTime.fromISO(text, { setZone: true });
    return parsed.isValid ? parsed.toMillis() : null;
  };
  const digits = (n: number, from: number, to: number) =>
    fc.integer({ min: from, max: to }).map((v) => String(v).padStart(n, '0'));

  it("answers luxon's instant or null, fields in range or not, in every form an offset may take", () => {
    const text = fc
      .tuple(
        digits(4, 0, 9999),
        digits(2, 0, 13),
        digits(2, 0, 32),
        digits(2, 0, 24),
        digits(2, 0, 60),
        fc.option(fc.tuple(digits(2, 0, 60), fc.option(fc.constantFrom('.5', '.123', '.1234', '.000')))),
        fc.constantFrom(
          'Z',
          'z',
          '+01:00',
          '-03:30',
          '+05:45',
          '+14:00',
          '-12:00',
          '+0100',
          '+24:00',
          '+01:60',
          '',
        ),
      )
      .map(
        ([y, mo, d, h, mi, s, zone]) =>
          `${y}-${mo}-${d}T${h}:${mi}${s ? `:${s[0]}${s[1] ?? ''}` : ''}${zone}`,
      );
    fc.assert(
      fc.property(text, (t) => {
        expect(parseInstant(t)).toBe(byLuxon(t));
      }),
      { numRuns: 5000 },
    );
    for (const t of [
      '2026-02-29T10:00:00Z',
      '2028-02-29T10:00:00Z',
      '2026-05-14T10:00:00.000+01:00',
      '0099-01-01T00:00Z',
    ])
      expect(parseInstant(t)).toBe(byLuxon(t));
    expect(parseInstant('2026-05-14T10:00:00+01:00')).toBe(Date.UTC(2026, 4, 14, 9));
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
