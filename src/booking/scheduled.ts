// Timed work, the same on both runtimes: a timer in the Node process, `scheduled()` (cron) on
// Workers. Every job is idempotent, so two processes running it at once do no harm.
import { purgeKeysBefore } from '../db/idempotency.js';
import { compile } from '../db/store.js';
import type { AppDeps } from '../deps.js';
import { type DeliveryReport, deliverWebhooks } from '../webhooks/delivery.js';
import { IDEMPOTENCY_RETENTION_MS } from './command.js';
import { detectNoShows } from './no-show.js';

export interface ScheduledReport {
  noShows: number;
  idempotencyKeysPurged: number;
  webhooks: DeliveryReport;
}

/** Runs every timed job once, at `now`. */
export async function runScheduledJobs(deps: AppDeps, now: number): Promise<ScheduledReport> {
  const noShows = await detectNoShows(deps, now);
  // Rows past retention are already ignored by lookups; purging only keeps the table small.
  const [purged] = await deps.store.atomic([compile(purgeKeysBefore(now - IDEMPOTENCY_RETENTION_MS))]);
  // After the no-shows, so their events go out in this run.
  const webhooks = await deliverWebhooks(deps, now);
  return { noShows, idempotencyKeysPurged: purged?.changes ?? 0, webhooks };
}
