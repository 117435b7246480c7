// Idempotency keys are kept for their retention period (24 h, see command.ts); rows past it are
// already ignored by lookups, so purging them only keeps the table small. A timed job.
import { purgeKeysBefore } from '../db/idempotency.js';
import { compile } from '../db/store.js';
import type { AppDeps } from '../deps.js';
import { IDEMPOTENCY_RETENTION_MS } from './command.js';

/** Deletes the keys older than the retention period at `now`; returns how many. */
export async function purgeExpiredIdempotencyKeys(
  deps: Pick<AppDeps, 'store'>,
  now: number,
): Promise<number> {
  const [purged] = await deps.store.atomic([compile(purgeKeysBefore(now - IDEMPOTENCY_RETENTION_MS))]);
  return purged?.changes ?? 0;
}
