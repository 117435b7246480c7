// Properties of the sliding-window-log limiter (src/domain/sliding-window.ts), checked against a
// brute-force count over every request it admitted. A window of `windowMs` ending at `now` is
// (now - windowMs, now]: a request exactly windowMs old no longer counts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { consumeWindow, isIdle, type WindowState } from '../../src/domain/sliding-window.js';

type RateLimitRule = Parameters<typeof consumeWindow>[1][number];

const rulesArb: fc.Arbitrary<RateLimitRule[]> = fc
  .uniqueArray(
    fc.record({ limit: fc.integer({ min: 1, max: 6 }), windowMs: fc.integer({ min: 1, max: 2_000 }) }),
    { minLength: 1, maxLength: 3 },
  )
  .map((rules) => rules.map((r, i) => ({ name: `rule${i}`, ...r })));

/** Request times, non-decreasing, often several in the same millisecond. */
const timesArb = fc
  .array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 2_500 })), {
    minLength: 1,
    maxLength: 120,
  })
  .map((gaps) => {
    let now = 1_000_000;
    return gaps.map((gap) => (now += gap));
  });

/** How many of `admitted` fall in the window of `rule` that ends at `now`. */
const inWindow = (admitted: number[], rule: RateLimitRule, now: number) =>
  admitted.filter((t) => t > now - rule.windowMs && t <= now).length;

/** Runs the limiter over `times`; returns each decision and the admitted times. */
function run(rules: RateLimitRule[], times: number[]) {
  const state: WindowState = {};
  const admitted: number[] = [];
  const decisions = times.map((now) => {
    const decision = consumeWindow(state, rules, now);
    if (decision.allowed) admitted.push(now);
    return { now, decision };
  });
  return { state, admitted, decisions };
}

describe('consumeWindow', () => {
  it('never admits more than the limit in any window of any rule', () => {
    fc.assert(
      fc.property(rulesArb, timesArb, (rules, times) => {
        const { admitted } = run(rules, times);
        // The busiest window of a rule ends at one of the admitted requests.
        for (const rule of rules) {
          for (const t of admitted) expect(inWindow(admitted, rule, t)).toBeLessThanOrEqual(rule.limit);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('refuses only when some rule is full: it admits exactly what the limits allow', () => {
    fc.assert(
      fc.property(rulesArb, timesArb, (rules, times) => {
        const admitted: number[] = [];
        const state: WindowState = {};
        for (const now of times) {
          const room = rules.every((rule) => inWindow(admitted, rule, now) < rule.limit);
          expect(consumeWindow(state, rules, now).allowed).toBe(room);
          if (room) admitted.push(now);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('admits again exactly retryAfterMs after a refusal, and not a millisecond before', () => {
    fc.assert(
      fc.property(rulesArb, timesArb, (rules, times) => {
        const { state, decisions } = run(rules, times);
        const last = decisions.at(-1)!;
        fc.pre(!last.decision.allowed);
        const retry = last.decision.retryAfterMs;
        expect(retry).toBeGreaterThan(0);
        // Refused requests leave the state as it was, so probing a copy is a fair question.
        const probe = (at: number) => consumeWindow(structuredClone(state), rules, at).allowed;
        expect(probe(last.now + retry - 1)).toBe(false);
        expect(probe(last.now + retry)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('does not count refused requests', () => {
    fc.assert(
      fc.property(rulesArb, timesArb, (rules, times) => {
        const state: WindowState = {};
        for (const now of times) {
          const before = structuredClone(state);
          const decision = consumeWindow(state, rules, now);
          // Expired entries may be dropped on the way, nothing else changes.
          if (!decision.allowed) {
            for (const rule of rules) {
              expect(state[rule.name]).toEqual(before[rule.name]?.filter((t) => t > now - rule.windowMs));
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('admits anything once the longest window has passed in silence, and then calls itself idle', () => {
    fc.assert(
      fc.property(rulesArb, timesArb, (rules, times) => {
        const { state, admitted } = run(rules, times);
        const longest = Math.max(...rules.map((r) => r.windowMs));
        // The first request is always admitted (every limit is at least 1).
        const idleAt = admitted.at(-1)! + longest;
        expect(isIdle(state, rules, idleAt - 1)).toBe(false);
        expect(isIdle(state, rules, idleAt)).toBe(true);
        expect(consumeWindow(state, rules, times.at(-1)! + longest).allowed).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
