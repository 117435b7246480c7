// Automatic no-show detection: an appointment still confirmed or rescheduled when its end plus the
// clinic's grace period (config.noShowGraceMinutes) has passed becomes no_show. Marking it attended
// before then stops it. Safe to run from two processes: a row only moves while it is still due.
import { markNoShows } from '../db/no-shows.js';
import { compile, type Store } from '../db/store.js';

const BATCH = 500;

/** Marks every due appointment; returns how many changed. */
export async function detectNoShows(store: Store, now: number): Promise<number> {
  let total = 0;
  for (;;) {
    const commandId = crypto.randomUUID();
    const results = await store.atomic(
      [
        ...markNoShows('confirmed', now, commandId, BATCH),
        ...markNoShows('rescheduled', now, commandId, BATCH),
      ].map(compile),
    );
    const changed = (results[1]?.changes ?? 0) + (results[3]?.changes ?? 0);
    total += changed;
    if (changed < BATCH) return total;
  }
}
