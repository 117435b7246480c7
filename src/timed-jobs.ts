// Timed work, composed once for both entries: which jobs run, in what order, and when. The core
// exposes each job as a plain function of (deps, now); this module decides the rest:
// - every tick: no-show detection, the idempotency-key purge, retention, then webhook delivery
//   (after the no-shows, so their events go out in the same run), then reminders and messages to
//   patients (src/messaging: queued in the changes' own units, sent here), then a few batches of the
//   phone re-hash (accounts/phone-rehash.ts) while any clinic still holds legacy hashes. The Node entry ticks on its own timer
//   (node/timer.ts, every SCHEDULER_INTERVAL_SECONDS, default TIMED_JOBS_INTERVAL_MS); on Workers
//   each clinic's object ticks on its alarm, set to its earliest due work (`nextTimedRun`).
// - after each successful write: webhook delivery, so events do not wait for the next tick, and
//   (AppDeps.sendMessagesAfterWrites) the clinic's due messages to patients.
// Every job is idempotent, so two runners (two processes, or a tick and a write) do no harm.

import { createMiddleware } from 'hono/factory';
import { type RehashReport, rehashLegacyPhoneHashes } from './accounts/phone-rehash.js';
import { purgeExpiredIdempotencyKeys } from './booking/idempotency-purge.js';
import { detectNoShows } from './booking/no-show.js';
import { applyRetention, type RetentionReport } from './booking/retention.js';
import { nextDueAt } from './db/timed-work.js';
import type { AppDeps } from './deps.js';
import { errorMessage } from './domain/errors.js';
import { afterAnswer } from './http/after-answer.js';
import type { AppEnv } from './http/env.js';
import { queueReminders } from './messaging/reminders.js';
import { kickMessages, type MessageReport, sendDueMessages } from './messaging/send.js';
import { type DeliveryReport, deliverWebhooks, deliveryKicker } from './webhooks/delivery.js';

/** The Node timer's default period. */
export const TIMED_JOBS_INTERVAL_MS = 60_000;

export interface TimedJobsReport {
  noShows: number;
  idempotencyKeysPurged: number;
  webhooks: DeliveryReport;
  retention: RetentionReport;
  remindersQueued: number;
  messages: MessageReport;
  phoneRehash: RehashReport;
}

/** A run in which some jobs threw: the others ran, and `report` says what they did. */
export class TimedJobsFailed extends Error {
  constructor(
    readonly report: TimedJobsReport,
    readonly failures: { job: string; error: unknown }[],
  ) {
    super(
      `Timed jobs failed: ${failures.map(({ job, error }) => `${job} (${errorMessage(error)})`).join('; ')}`,
    );
  }
}

/**
 * Runs every timed job once, at `now`. Each job runs whatever the others did: one that throws (a bad
 * row, say) must not stop the rest (a clinic whose no-shows fail still sends its reminders); the run
 * then throws TimedJobsFailed once all have run, so the runner backs off and logs it.
 */
export async function runTimedJobs(deps: AppDeps, now: number): Promise<TimedJobsReport> {
  const failures: { job: string; error: unknown }[] = [];
  const run = async <T>(job: string, work: () => Promise<T>, nothing: T): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      failures.push({ job, error });
      return nothing;
    }
  };
  const noShows = await run('noShows', () => detectNoShows(deps, now), 0);
  const idempotencyKeysPurged = await run('idempotencyKeys', () => purgeExpiredIdempotencyKeys(deps, now), 0);
  const retention = await run('retention', () => applyRetention(deps, now), {
    callEventsDeleted: 0,
    appointmentsAnonymised: 0,
    auditEventsPurged: 0,
  });
  const webhooks = await run('webhooks', () => deliverWebhooks(deps, now), {
    delivered: 0,
    retried: 0,
    failed: 0,
    simulated: 0,
  });
  // Reminders first, so one due now goes in the same run.
  const remindersQueued = await run('reminders', () => queueReminders(deps, now), 0);
  const messages = await run('messages', () => sendDueMessages(deps, now), {
    sent: 0,
    retried: 0,
    failed: 0,
    skipped: 0,
    unknown: 0,
  });
  // Last and bounded (a few batches a run): moving old phone hashes to per-clinic keys is not urgent.
  const phoneRehash = await run('phoneRehash', () => rehashLegacyPhoneHashes(deps), {
    rehashed: 0,
    clinicsFinished: 0,
  });
  const report = {
    noShows,
    idempotencyKeysPurged,
    webhooks,
    retention,
    remindersQueued,
    messages,
    phoneRehash,
  };
  if (failures.length) throw new TimedJobsFailed(report, failures);
  return report;
}

/** How often housekeeping (key purge, retention) runs where nothing else is due: every 6 hours. */
export const HOUSEKEEPING_INTERVAL_MS = 6 * 3_600_000;

/**
 * When the timed jobs should next run, for a runner that wakes on demand (a clinic's Durable Object
 * alarm): the earliest due work, else the next housekeeping; never sooner than a second from now, so
 * work the last run left due (a batch cap, a clock behind) cannot spin.
 */
export async function nextTimedRun(deps: Pick<AppDeps, 'store'>, now: number): Promise<number> {
  const due = await nextDueAt(deps.store.db, now);
  return Math.max(now + 1_000, Math.min(due ?? Number.POSITIVE_INFINITY, now + HOUSEKEEPING_INTERVAL_MS));
}

/** Whether a run changed anything worth a log line. */
export const changedAnything = (report: TimedJobsReport) =>
  report.noShows > 0 ||
  report.idempotencyKeysPurged > 0 ||
  report.webhooks.delivered + report.webhooks.retried + report.webhooks.failed + report.webhooks.simulated >
    0 ||
  report.remindersQueued > 0 ||
  Object.values(report.messages).some((n) => n > 0) ||
  report.phoneRehash.rehashed + report.phoneRehash.clinicsFinished > 0;

/**
 * After a request whose writes queued webhook events, delivers them without waiting for the next
 * tick, after the answer (src/http/after-answer.ts). A request that queued nothing starts no run: the
 * store counts the units that queued deliveries, and a concurrent request's unit can only cause one
 * run too many, never one too few. With `sendMessagesAfterWrites`, a request whose units queued a message
 * likewise sends the clinic's due messages after the answer.
 */
export function deliverAfterWrites(deps: AppDeps) {
  const kick = deliveryKicker(deps);
  return createMiddleware<AppEnv>(async (c, next) => {
    const { deliveriesQueued, messagesQueued } = deps.store;
    await next();
    if (deps.store.deliveriesQueued !== deliveriesQueued) afterAnswer(c, kick);
    if (!deps.sendMessagesAfterWrites || deps.store.messagesQueued === messagesQueued) return;
    // The API key's clinic; doors without one (voice, booking page, patient links) kick a fair run
    // over every clinic's due messages.
    const tenantId = c.get('credential')?.tenant.id;
    afterAnswer(c, () => kickMessages(deps, tenantId));
  });
}
