// Properties of the slot grid (src/domain/slots.ts), checked against a brute-force walk of every
// grid position: the fast scan may skip ahead, but must offer exactly the starts the rule allows.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { freeSlots, type SlotRequest } from '../../src/domain/slots.js';
import { MINUTE } from '../../src/domain/time.js';
import { type Interval, mergeIntervals } from '../../src/domain/working-hours.js';

const BASE = Date.parse('2026-05-14T00:00:00Z');
const at = (minutes: number) => BASE + minutes * MINUTE;

/** Random spans over three days, in whole minutes, any order, possibly overlapping. */
const spansArb = (maxLength: number) =>
  fc.array(
    fc
      .tuple(fc.integer({ min: 0, max: 3 * 1440 }), fc.integer({ min: 1, max: 600 }))
      .map(([start, length]): Interval => ({ start: at(start), end: at(start + length) })),
    { maxLength },
  );

const requestArb: fc.Arbitrary<SlotRequest> = fc
  .record({
    // Working hours reach the core merged and sorted (workingIntervals' output).
    working: spansArb(6).map(mergeIntervals),
    busy: spansArb(12),
    duration: fc.integer({ min: 5, max: 240 }),
    buffer: fc.constantFrom(0, 0, 5, 10, 30),
    step: fc.constantFrom(5, 10, 15, 20, 30, 60),
    earliest: fc.integer({ min: -60, max: 3 * 1440 }),
    horizon: fc.integer({ min: 0, max: 4 * 1440 }),
  })
  .map((r) => ({
    working: r.working,
    busy: r.busy,
    durationMs: r.duration * MINUTE,
    bufferMs: r.buffer * MINUTE,
    stepMs: r.step * MINUTE,
    earliest: at(r.earliest),
    latest: at(r.earliest + r.horizon),
  }));

/** The definition, one grid position at a time. */
function bruteForce(r: SlotRequest): Interval[] {
  const slots: Interval[] = [];
  for (const w of r.working) {
    for (let start = w.start; start + r.durationMs <= w.end; start += r.stepMs) {
      const blockedUntil = start + r.durationMs + r.bufferMs;
      const clash = r.busy.some((b) => b.start < blockedUntil && b.end > start);
      if (start >= r.earliest && start <= r.latest && !clash)
        slots.push({ start, end: start + r.durationMs });
    }
  }
  return slots;
}

describe('freeSlots', () => {
  it('offers exactly the grid starts that fit, respect notice and horizon, and clash with nothing', () => {
    fc.assert(
      fc.property(requestArb, (r) => {
        expect(freeSlots(r)).toEqual(bruteForce(r));
      }),
      { numRuns: 1_000 },
    );
  });

  it('offers sorted slots of the service duration, each inside one working interval and on its grid', () => {
    fc.assert(
      fc.property(requestArb, (r) => {
        const slots = freeSlots(r);
        slots.forEach((slot, i) => {
          expect(slot.end - slot.start).toBe(r.durationMs);
          if (i > 0) expect(slot.start).toBeGreaterThan(slots[i - 1]!.start);
          const home = r.working.find((w) => w.start <= slot.start && slot.end <= w.end);
          expect(home).toBeDefined();
          expect((slot.start - home!.start) % r.stepMs).toBe(0);
          expect(slot.start).toBeGreaterThanOrEqual(r.earliest);
          expect(slot.start).toBeLessThanOrEqual(r.latest);
        });
      }),
      { numRuns: 500 },
    );
  });

  it('never lets a slot plus its buffer overlap a busy span; touching is fine', () => {
    fc.assert(
      fc.property(requestArb, (r) => {
        for (const slot of freeSlots(r)) {
          for (const b of r.busy) {
            const overlaps = b.start < slot.end + r.bufferMs && b.end > slot.start;
            expect(overlaps, JSON.stringify({ slot, b })).toBe(false);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('offers a start that ends exactly where a busy span begins, and one that begins where it ends', () => {
    const r: SlotRequest = {
      working: [{ start: at(9 * 60), end: at(12 * 60) }],
      busy: [{ start: at(10 * 60), end: at(10 * 60 + 30) }],
      durationMs: 30 * MINUTE,
      bufferMs: 0,
      stepMs: 30 * MINUTE,
      earliest: at(0),
      latest: at(24 * 60),
    };
    expect(freeSlots(r).map((s) => (s.start - BASE) / MINUTE)).toEqual([540, 570, 630, 660, 690]);
  });
});
