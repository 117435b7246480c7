// The free-slots answer written as text (src/api/availability-json.ts) is, byte for byte, what
// JSON.stringify gives for the object form the route answered before: any slots, zones, ids (quotes
// and non-ASCII included), with and without a next page.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { availabilityJson } from '../../src/api/availability-json.js';
import { renderInstant } from '../../src/domain/time.js';

const asObjects = (a: Parameters<typeof availabilityJson>[0]) =>
  JSON.stringify({
    serviceTypeId: a.serviceTypeId,
    timezone: a.timezone,
    items: a.slots.map((s) => ({
      startsAt: renderInstant(s.startsAt, a.timezone),
      endsAt: renderInstant(s.endsAt, a.timezone),
      professionalId: s.professionalId,
    })),
    nextFrom: a.nextFrom === null ? null : renderInstant(a.nextFrom, a.timezone),
  });

describe('availabilityJson', () => {
  it('writes what JSON.stringify writes for the same answer as objects', () => {
    // Instants on a grid so that many repeat (the text of each is kept per answer), and off it.
    const instant = fc.oneof(
      fc.integer({ min: 0, max: 2000 }).map((n) => Date.UTC(2026, 2, 1) + n * 15 * 60_000),
      fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2090, 0, 1) }),
    );
    const answer = fc.record({
      serviceTypeId: fc.string(),
      timezone: fc.constantFrom(
        'Europe/Lisbon',
        'UTC',
        'America/St_Johns',
        'Asia/Kathmandu',
        'Pacific/Chatham',
      ),
      slots: fc.array(
        fc.record({
          startsAt: instant,
          endsAt: instant,
          professionalId: fc.oneof(fc.uuid(), fc.string(), fc.constant('a "quoted" \\ name\u2028ção')),
        }),
        { maxLength: 60 },
      ),
      nextFrom: fc.option(instant),
    });
    fc.assert(
      fc.property(answer, (a) => {
        const text = availabilityJson(a);
        expect(text).toBe(asObjects(a));
        expect(() => JSON.parse(text)).not.toThrow();
      }),
      { numRuns: 400 },
    );
  });
});
