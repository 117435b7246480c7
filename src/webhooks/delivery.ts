// Delivering queued events: POST the JSON, signed as Mivicall documents (HMAC-SHA256 hex over
// "{t}.{body}", header "t=<unix s>,v1=<hex>"), retrying with backoff for about a day.

import { isSandbox } from '../accounts/sandbox.js';
import { findTenant } from '../db/tenants.js';
import {
  type DeliveryRow,
  dueEndpoints,
  findEndpoint,
  leaseDelivery,
  nextDueDelivery,
  postponeDue,
  recordAttempt,
} from '../db/webhooks.js';
import type { AppDeps } from '../deps.js';
import { errorMessage } from '../domain/errors.js';
import { MINUTE } from '../domain/time.js';
import { toHex } from '../security/encoding.js';
import { hmac } from '../security/signatures.js';
import { signingSecrets } from './endpoints.js';
import { noteFailure, noteSuccess } from './health.js';

export const SIGNATURE_HEADER = 'X-Agendai-Signature';

/** Waits after each failed attempt: 30 s, 2 min, 10 min, 30 min, 1 h, 3 h, 6 h, 12 h, then give up. */
const BACKOFF_MS = [0.5, 2, 10, 30, 60, 180, 360, 720].map((m) => m * MINUTE);
/** One attempt, connection to last byte of the answer's head; the connect itself is bounded by the runtime's egress. */
const TIMEOUT_MS = 10_000;
// A runner holds a delivery this long; a runner that died lets it go back to the queue.
const LEASE_MS = 60_000;

export async function signature(secrets: string[], timestamp: number, body: string): Promise<string> {
  const parts = await Promise.all(
    secrets.map(async (s) => `v1=${toHex(await hmac(s, `${timestamp}.${body}`))}`),
  );
  return [`t=${timestamp}`, ...parts].join(',');
}

async function attempt(deps: AppDeps, row: DeliveryRow, now: number): Promise<Outcome> {
  const endpoint = await findEndpoint(deps.store.db, row.tenantId, row.endpointId);
  if (!endpoint?.active || endpoint.disabledAt) {
    const lastError = endpoint?.active ? 'Endpoint disabled' : 'Endpoint removed';
    await recordAttempt(deps.store.db, row.id, { status: 'failed', lastError });
    return 'failed';
  }
  // A sandbox's events never leave the service: the delivery stays in the log, with its payload, as
  // what would have been sent. Checked here, where the request would be made, so no path sends one.
  const tenant = await findTenant(deps.store.db, row.tenantId);
  if (!tenant || isSandbox(tenant)) {
    await recordAttempt(deps.store.db, row.id, { status: 'simulated', lastError: null });
    return 'simulated';
  }
  const timestamp = Math.floor(now / 1000);
  let statusCode: number | null = null;
  let error: string | null = null;
  try {
    const response = await deps.egress.fetch(endpoint.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'agendai-webhooks/1',
        [SIGNATURE_HEADER]: await signature(
          await signingSecrets(deps, endpoint, now),
          timestamp,
          row.payload,
        ),
        'X-Agendai-Event': row.eventType,
        'X-Agendai-Event-Id': row.eventId,
        'X-Agendai-Delivery': row.id,
      },
      body: row.payload,
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    statusCode = response.status;
    await response.body?.cancel();
  } catch (e) {
    error = describe(e);
  }
  const attempts = row.attempts + 1;
  if (statusCode !== null && statusCode >= 200 && statusCode < 300) {
    await recordAttempt(deps.store.db, row.id, {
      status: 'delivered',
      attempts,
      lastStatusCode: statusCode,
      lastError: null,
      deliveredAt: now,
    });
    await noteSuccess(deps, endpoint);
    return 'delivered';
  }
  const wait = BACKOFF_MS[attempts - 1];
  await recordAttempt(deps.store.db, row.id, {
    status: wait === undefined ? 'failed' : 'pending',
    attempts,
    nextAttemptAt: now + (wait ?? 0),
    lastStatusCode: statusCode,
    lastError: error ?? `HTTP ${statusCode}`,
  });
  // The endpoint's queue waits with the failed event: one attempt per backoff step, not one per event.
  await postponeDue(deps.store.db, row.tenantId, row.endpointId, now, now + (wait ?? BACKOFF_MS[0]!));
  await noteFailure(deps, endpoint, now);
  return wait === undefined ? 'failed' : 'retry';
}

type Outcome = 'delivered' | 'retry' | 'failed' | 'simulated';

/** A network error with its cause (fetch says only "fetch failed"), for the deliveries log. */
function describe(e: unknown): string {
  if (!(e instanceof Error)) return 'Request failed';
  const cause = e.cause instanceof Error ? ` (${e.cause.message})` : '';
  return `${e.name}: ${e.message}${cause}`.slice(0, 300);
}

export interface DeliveryReport {
  delivered: number;
  retried: number;
  failed: number;
  /** Sandbox events recorded instead of sent. */
  simulated: number;
}

/** Attempts in flight in this process at most; a slow clinic can hold only a few of them. */
const MAX_IN_FLIGHT = 16;
const MAX_IN_FLIGHT_PER_CLINIC = 4;
/** Endpoints looked at per run: enough for MAX_IN_FLIGHT in turns across clinics. */
const CANDIDATES = 200;

/** What this process is sending now, shared by every run (kicks, timer) of the same deps. */
interface Runner {
  /** Endpoints being served; `again` asks the server to look for more before letting go. */
  serving: Map<string, { again: boolean }>;
  perClinic: Map<string, number>;
  /** A run left due work for lack of a slot: when one frees, run again. */
  deferred: boolean;
}

const runners = new WeakMap<AppDeps, Runner>();

function runnerOf(deps: AppDeps): Runner {
  let runner = runners.get(deps);
  if (!runner) {
    runner = { serving: new Map(), perClinic: new Map(), deferred: false };
    runners.set(deps, runner);
  }
  return runner;
}

/**
 * Sends every due delivery it can; safe to run from several places at once. Fair: endpoints are
 * taken in turns across clinics (each clinic's first, then each one's second...), at most
 * MAX_IN_FLIGHT_PER_CLINIC of one clinic and MAX_IN_FLIGHT in all at a time, so endpoints that never
 * answer hold a few slots for one timeout, not the queue. A run does not wait for other runs: an
 * endpoint already being served is left to its server (asked to look again), and one without a free
 * slot starts when a slot frees. One endpoint's events go one at a time in the order they happened
 * (a PMS sees created before cancelled); after a failure its queue waits for the retry.
 */
export async function deliverWebhooks(deps: AppDeps, now: number): Promise<DeliveryReport> {
  const report: DeliveryReport = { delivered: 0, retried: 0, failed: 0, simulated: 0 };
  const runner = runnerOf(deps);
  const serve = async (tenantId: string, endpointId: string, state: { again: boolean }) => {
    try {
      for (;;) {
        // The clock, not the run's start: events queued while this endpoint is served are due too.
        const at = Math.max(now, deps.clock.now());
        const row = await nextDueDelivery(deps.store.db, tenantId, endpointId, at);
        if (!row) {
          // Checked and released with no await in between: a run that saw us serving has set again.
          if (!state.again) break;
          state.again = false;
          continue;
        }
        if (!(await leaseDelivery(deps.store.db, row, at, LEASE_MS))) continue;
        const outcome = await attempt(deps, row, at);
        report[outcome === 'retry' ? 'retried' : outcome]++;
        if (outcome !== 'delivered' && outcome !== 'simulated') break;
      }
    } finally {
      runner.serving.delete(endpointId);
      runner.perClinic.set(tenantId, (runner.perClinic.get(tenantId) ?? 1) - 1);
      if (runner.deferred) {
        runner.deferred = false;
        void kickDeliveries(deps);
      }
    }
  };
  const served: Promise<void>[] = [];
  for (const { tenantId, endpointId } of await dueEndpoints(deps.store.db, now, CANDIDATES)) {
    const serving = runner.serving.get(endpointId);
    if (serving) {
      serving.again = true;
      continue;
    }
    if (
      runner.serving.size >= MAX_IN_FLIGHT ||
      (runner.perClinic.get(tenantId) ?? 0) >= MAX_IN_FLIGHT_PER_CLINIC
    ) {
      runner.deferred = true;
      continue;
    }
    const state = { again: false };
    runner.serving.set(endpointId, state);
    runner.perClinic.set(tenantId, (runner.perClinic.get(tenantId) ?? 0) + 1);
    served.push(serve(tenantId, endpointId, state));
  }
  await Promise.all(served);
  return report;
}

/**
 * Starts a delivery run soon after a write (and when a slot frees). Runs overlap: a write by one
 * clinic is not held up behind another clinic's slow endpoints.
 */
export async function kickDeliveries(deps: AppDeps): Promise<void> {
  try {
    await deliverWebhooks(deps, deps.clock.now());
  } catch (error) {
    deps.logger.error('webhook_delivery_failed', {
      error: errorMessage(error),
    });
  }
}

/**
 * What runs after each write (timed-jobs.ts): a delivery run that does not wait for one already
 * going, so one clinic's write is not held up behind another clinic's slow endpoints. What is in
 * flight is shared through the app's runner (above), keyed by its deps.
 */
export const deliveryKicker = (deps: AppDeps) => () => kickDeliveries(deps);
