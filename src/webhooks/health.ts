// An endpoint's health: a run of failed attempts that lasts DISABLE_AFTER_MS disables it (no more
// events are queued for it), tells the clinic's other endpoints (webhook_endpoint.disabled), and
// shows in the API as status "disabled" with when and why. A PATCH enables it again.
import { type SQL, sql } from 'drizzle-orm';
import { toTenant } from '../accounts/tenants.js';
import { compile } from '../db/store.js';
import { findTenant } from '../db/tenants.js';
import {
  disableEndpointStatement,
  type EndpointRow,
  enqueueEventIf,
  updateEndpoint,
} from '../db/webhooks.js';
import type { AppDeps } from '../deps.js';
import { DAY, renderInstant } from '../domain/time.js';

/** Every attempt failing for this long (Stripe warns after a few days of failures too). */
export const DISABLE_AFTER_MS = 3 * DAY;

export const ENDPOINT_EVENTS = ['webhook_endpoint.disabled'] as const;

export async function noteSuccess(deps: AppDeps, endpoint: EndpointRow) {
  if (endpoint.failingSince === null) return;
  await updateEndpoint(deps.store.db, endpoint.tenantId, endpoint.id, { failingSince: null });
}

export async function noteFailure(deps: AppDeps, endpoint: EndpointRow, now: number) {
  if (endpoint.failingSince === null) {
    await updateEndpoint(deps.store.db, endpoint.tenantId, endpoint.id, { failingSince: now });
    return;
  }
  if (now - endpoint.failingSince < DISABLE_AFTER_MS) return;
  await disableEndpoint(deps, endpoint, now);
}

async function disableEndpoint(deps: AppDeps, endpoint: EndpointRow, now: number) {
  const tenantRow = await findTenant(deps.store.db, endpoint.tenantId);
  const zone = tenantRow ? toTenant(tenantRow).config.timezone : 'UTC';
  const since = renderInstant(endpoint.failingSince ?? now, zone);
  const reason = `Every delivery attempt failed since ${since}`;
  const id = `evt_${crypto.randomUUID().replace(/-/g, '')}`;
  const type = ENDPOINT_EVENTS[0];
  const payload = JSON.stringify({
    id,
    type,
    createdAt: renderInstant(now, zone),
    tenantId: endpoint.tenantId,
    data: { endpoint: { id: endpoint.id, url: endpoint.url, disabledAt: renderInstant(now, zone), reason } },
  });
  // Disabled first, so the event goes to the clinic's other endpoints only; queued only if this
  // run is the one that disabled it (another runner may have got there first).
  const disabled: SQL = sql`EXISTS (SELECT 1 FROM webhook_endpoints WHERE id = ${endpoint.id} AND disabled_at = ${now})`;
  await deps.store.atomic([
    disableEndpointStatement(deps.store.db, endpoint.id, now, reason),
    compile(enqueueEventIf({ id, type, tenantId: endpoint.tenantId, payload, now }, disabled)),
  ]);
  deps.logger.warn('webhook_endpoint_disabled', { tenantId: endpoint.tenantId, endpointId: endpoint.id });
}
