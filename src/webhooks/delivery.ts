// Delivering queued events: POST the JSON, signed as Mivicall documents (HMAC-SHA256 hex over
// "{t}.{body}", header "t=<unix s>,v1=<hex>"), retrying with backoff for about a day.

import {
  type DeliveryRow,
  dueDeliveries,
  findEndpoint,
  leaseDelivery,
  recordAttempt,
} from '../db/webhooks.js';
import type { AppDeps } from '../deps.js';
import { MINUTE } from '../domain/time.js';
import { toHex } from '../security/encoding.js';
import { hmac } from '../security/signatures.js';
import { signingSecrets } from './endpoints.js';

export const SIGNATURE_HEADER = 'X-Agendai-Signature';

/** Waits after each failed attempt: 30 s, 2 min, 10 min, 30 min, 1 h, 3 h, 6 h, 12 h, then give up. */
const BACKOFF_MS = [0.5, 2, 10, 30, 60, 180, 360, 720].map((m) => m * MINUTE);
const TIMEOUT_MS = 10_000;
// A runner holds a delivery this long; a runner that died lets it go back to the queue.
const LEASE_MS = 60_000;

export async function signature(secrets: string[], timestamp: number, body: string): Promise<string> {
  const parts = await Promise.all(
    secrets.map(async (s) => `v1=${toHex(await hmac(s, `${timestamp}.${body}`))}`),
  );
  return [`t=${timestamp}`, ...parts].join(',');
}

async function attempt(
  deps: AppDeps,
  row: DeliveryRow,
  now: number,
): Promise<'delivered' | 'retry' | 'failed'> {
  const endpoint = await findEndpoint(deps.store.db, row.tenantId, row.endpointId);
  if (!endpoint?.active) {
    await recordAttempt(deps.store.db, row.id, { status: 'failed', lastError: 'Endpoint removed' });
    return 'failed';
  }
  const timestamp = Math.floor(now / 1000);
  let statusCode: number | null = null;
  let error: string | null = null;
  try {
    const response = await fetch(endpoint.url, {
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
    error = e instanceof Error ? `${e.name}: ${e.message}`.slice(0, 300) : 'Request failed';
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
  return wait === undefined ? 'failed' : 'retry';
}

export interface DeliveryReport {
  delivered: number;
  retried: number;
  failed: number;
}

/**
 * Sends every due delivery once; safe to run from several places at once. One endpoint's events go
 * one at a time in the order they happened (a PMS sees created before cancelled); up to eight
 * endpoints are served in parallel. A failed event is retried later and may then arrive after
 * younger ones.
 */
export async function deliverWebhooks(deps: AppDeps, now: number, limit = 100): Promise<DeliveryReport> {
  const report: DeliveryReport = { delivered: 0, retried: 0, failed: 0 };
  const byEndpoint = new Map<string, DeliveryRow[]>();
  for (const row of await dueDeliveries(deps.store.db, now, limit)) {
    byEndpoint.set(row.endpointId, [...(byEndpoint.get(row.endpointId) ?? []), row]);
  }
  const endpoints = [...byEndpoint.values()];
  const worker = async () => {
    for (let rows = endpoints.shift(); rows; rows = endpoints.shift()) {
      for (const row of rows) {
        if (!(await leaseDelivery(deps.store.db, row, now, LEASE_MS))) continue;
        const outcome = await attempt(deps, row, now);
        report[outcome === 'delivered' ? 'delivered' : outcome === 'retry' ? 'retried' : 'failed']++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, endpoints.length) }, worker));
  return report;
}

/**
 * A delivery run to start soon after a write, one at a time: a kick while a run is going asks that
 * run to go round once more. The state lives in the returned function, one per app, not in the module.
 */
export function deliveryKicker(deps: AppDeps): () => Promise<void> {
  let running = false;
  let again = false;
  return async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        await deliverWebhooks(deps, deps.clock.now());
      } while (again);
    } catch (error) {
      deps.logger.error('webhook_delivery_failed', {
        error: error instanceof Error ? error.message : String(error),
      });
    } finally {
      running = false;
    }
  };
}
