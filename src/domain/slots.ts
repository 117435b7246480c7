// The slot grid: start times every `step` from the beginning of each working interval, kept when the
// appointment fits the interval and its blocked span [start, end + buffer) touches no busy span.
// The overlap rule is the booking core's own, so every slot offered is one the core accepts.
import type { Interval } from './working-hours.js';

export interface SlotRequest {
  working: Interval[];
  /** Blocking appointments as [startsAt, blocksUntil), any order. */
  busy: Interval[];
  durationMs: number;
  bufferMs: number;
  stepMs: number;
  /** Earliest allowed start (now + notice) and latest (now + horizon). */
  earliest: number;
  latest: number;
}

const inOrder = (spans: Interval[]) => spans.every((s, i) => i === 0 || spans[i - 1]!.start <= s.start);

export function freeSlots(r: SlotRequest): Interval[] {
  // Availability asks once per day of a window with the window's bookings, read in start order:
  // copied and sorted only when they are not.
  const busy = inOrder(r.busy) ? r.busy : [...r.busy].sort((a, b) => a.start - b.start);
  const slots: Interval[] = [];
  for (const w of r.working) {
    // Skip whole steps up to the earliest allowed start, staying on this interval's grid.
    let start =
      w.start < r.earliest ? w.start + Math.ceil((r.earliest - w.start) / r.stepMs) * r.stepMs : w.start;
    let firstBusy = 0;
    for (; start + r.durationMs <= w.end && start <= r.latest; start += r.stepMs) {
      const blockedUntil = start + r.durationMs + r.bufferMs;
      while (firstBusy < busy.length && busy[firstBusy]!.end <= start) firstBusy++;
      let clash = false;
      for (let i = firstBusy; i < busy.length && busy[i]!.start < blockedUntil; i++) {
        if (busy[i]!.end > start) {
          clash = true;
          break;
        }
      }
      if (!clash) slots.push({ start, end: start + r.durationMs });
    }
  }
  return slots;
}
