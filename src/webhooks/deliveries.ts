// What the clinic can see of the deliveries to one of its endpoints: newest first, with the time
// of the next attempt while one is pending. Instants stay epoch milliseconds for the door to render.
import type { Tenant } from '../accounts/tenants.js';
import { listDeliveries } from '../db/webhooks.js';
import type { AppDeps } from '../deps.js';
import type { DeliveryStatus } from '../domain/vocabulary.js';
import { getEndpoint } from './endpoints.js';

export type { DeliveryStatus } from '../domain/vocabulary.js';

export interface DeliveryRecord {
  id: string;
  eventId: string;
  eventType: string;
  status: DeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  /** Only while pending: a delivered or failed one has no next attempt. */
  nextAttemptAt: number | null;
  createdAt: number;
  deliveredAt: number | null;
  /** A sandbox's `simulated` delivery: the event that would have been sent (null otherwise). */
  event: unknown;
}

/** The latest `limit` deliveries to one of the clinic's endpoints; another clinic's is webhook_not_found. */
export async function recentDeliveries(
  deps: AppDeps,
  tenant: Tenant,
  endpointId: string,
  limit: number,
): Promise<DeliveryRecord[]> {
  const endpoint = await getEndpoint(deps, tenant, endpointId);
  const rows = await listDeliveries(deps.store.db, tenant.id, endpoint.id, limit);
  return rows.map((d) => ({
    id: d.id,
    eventId: d.eventId,
    eventType: d.eventType,
    status: d.status as DeliveryStatus,
    attempts: d.attempts,
    lastStatusCode: d.lastStatusCode,
    lastError: d.lastError,
    nextAttemptAt: d.status === 'pending' ? d.nextAttemptAt : null,
    createdAt: d.createdAt,
    deliveredAt: d.deliveredAt,
    event: d.status === 'simulated' ? JSON.parse(d.payload) : null,
  }));
}
