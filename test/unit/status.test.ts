// The appointment status machine (src/domain/status.ts) against the table the README and
// docs/mivicall-contract.md document: confirmed → attended | no_show | cancelled | rescheduled;
// rescheduled moves on like confirmed; attended, no_show and cancelled are final.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canTransition, isBlocking } from '../../src/domain/status.js';

const DOCUMENTED = {
  confirmed: ['attended', 'no_show', 'cancelled', 'rescheduled'],
  rescheduled: ['attended', 'no_show', 'cancelled', 'rescheduled'],
  attended: [],
  no_show: [],
  cancelled: [],
} as const;
type Status = keyof typeof DOCUMENTED;
const STATUSES = Object.keys(DOCUMENTED) as Status[];
const FINAL: Status[] = ['attended', 'no_show', 'cancelled'];

/** The statuses the code lets `from` move to. */
const exits = (from: Status) => STATUSES.filter((to) => canTransition(from, to));

describe('the status machine', () => {
  it('allows exactly the documented transitions', () => {
    for (const from of STATUSES) {
      for (const to of STATUSES) {
        expect(canTransition(from, to), `${from} → ${to}`).toBe(
          (DOCUMENTED[from] as readonly Status[]).includes(to),
        );
      }
    }
  });

  it('has no exit from a final status', () => {
    for (const final of FINAL) expect(exits(final)).toEqual([]);
  });

  it('blocks a slot exactly while an appointment can still move on', () => {
    for (const status of STATUSES) expect(isBlocking(status), status).toBe(exits(status).length > 0);
  });

  it('ends every path from confirmed in a final status, and a final status is always in reach', () => {
    // A walk picks any allowed exit at each step; where it stops (no exit), it must be final. A walk
    // may loop on rescheduled for a while, so each status it visits must also reach a final one.
    const reachesFinal = (from: Status): boolean => {
      const seen = new Set<Status>([from]);
      const queue = [from];
      for (let s = queue.shift(); s; s = queue.shift()) {
        if (FINAL.includes(s)) return true;
        for (const next of exits(s)) if (!seen.has(next) && seen.add(next)) queue.push(next);
      }
      return false;
    };
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 30 }), (choices) => {
        let status: Status = 'confirmed';
        for (const choice of choices) {
          expect(reachesFinal(status), status).toBe(true);
          const options = exits(status);
          if (options.length === 0) break;
          status = options[choice % options.length]!;
        }
        if (exits(status).length === 0) expect(FINAL).toContain(status);
      }),
      { numRuns: 500 },
    );
  });
});
