// Queries for webhook endpoints and the outbox of deliveries.
import { and, asc, desc, eq, isNull, lte, type SQL, sql } from 'drizzle-orm';
import { q } from './fragment.js';
import { leaseOutboxRow } from './outbox-lease.js';
import { webhookDeliveries, webhookEndpoints } from './schema.js';
import { type Db, preparedOnce, statementOf } from './store.js';

export type EndpointRow = typeof webhookEndpoints.$inferSelect;
export type DeliveryRow = typeof webhookDeliveries.$inferSelect;

export async function insertEndpoint(db: Db, row: EndpointRow) {
  await db.insert(webhookEndpoints).values(row);
}

export async function findEndpoint(db: Db, tenantId: string, id: string): Promise<EndpointRow | undefined> {
  const [row] = await db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.id, id)))
    .limit(1);
  return row;
}

export async function listEndpoints(db: Db, tenantId: string) {
  return db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.active, true)))
    .orderBy(asc(webhookEndpoints.createdAt));
}

export async function updateEndpoint(db: Db, tenantId: string, id: string, patch: Partial<EndpointRow>) {
  const [row] = await db
    .update(webhookEndpoints)
    .set(patch)
    .where(and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.id, id)))
    .returning();
  return row;
}

/**
 * Queues an event for every active endpoint of the clinic that wants it, only if `condition` holds
 * (the change it reports was written): part of the same atomic unit as the change.
 */
export const enqueueEventIf = (
  event: { id: string; type: string; tenantId: string; payload: string; now: number },
  condition: SQL,
): SQL => q`
  INSERT INTO webhook_deliveries (id, tenant_id, endpoint_id, event_id, event_type, payload, status, attempts, next_attempt_at, created_at)
  SELECT lower(hex(randomblob(16))), e.tenant_id, e.id, ${event.id}, ${event.type}, ${event.payload}, 'pending', 0, ${event.now}, ${event.now}
  FROM webhook_endpoints e
  WHERE e.tenant_id = ${event.tenantId} AND e.active = 1 AND e.disabled_at IS NULL
    AND (EXISTS (SELECT 1 FROM json_each(e.events) WHERE value IN ('*', ${event.type})))
    AND ${condition}`;

// Runs after every write (the delivery kick): prepared once.
const due = preparedOnce((db) =>
  db
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.status, 'pending'),
        lte(webhookDeliveries.nextAttemptAt, sql.placeholder('now')),
      ),
    )
    .orderBy(asc(webhookDeliveries.nextAttemptAt), asc(webhookDeliveries.createdAt), sql`rowid`)
    .limit(sql.placeholder('limit'))
    .prepare(),
);

export async function dueDeliveries(db: Db, now: number, limit: number): Promise<DeliveryRow[]> {
  return due(db).all({ now, limit });
}

/** Takes a delivery for `leaseMs` so a second runner leaves it alone; false if someone else has it. */
export const leaseDelivery = (db: Db, row: DeliveryRow, now: number, leaseMs: number) =>
  leaseOutboxRow(db, webhookDeliveries, row, { status: 'pending', now, leaseMs });

export async function recordAttempt(db: Db, id: string, patch: Partial<DeliveryRow>) {
  await db.update(webhookDeliveries).set(patch).where(eq(webhookDeliveries.id, id));
}

export async function listDeliveries(db: Db, tenantId: string, endpointId: string, limit: number) {
  return db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.tenantId, tenantId), eq(webhookDeliveries.endpointId, endpointId)))
    .orderBy(desc(webhookDeliveries.createdAt), desc(sql`rowid`))
    .limit(limit);
}

/**
 * The endpoints with due deliveries, in turns: every clinic's longest-waiting endpoint first, then
 * every clinic's second, and so on, so a clinic with many endpoints cannot fill a run by itself.
 */
export async function dueEndpoints(
  db: Db,
  now: number,
  limit: number,
): Promise<{ tenantId: string; endpointId: string }[]> {
  return db.all<{ tenantId: string; endpointId: string }>(sql`
    SELECT tenant_id AS tenantId, endpoint_id AS endpointId FROM (
      SELECT tenant_id, endpoint_id, MIN(next_attempt_at) AS due,
        ROW_NUMBER() OVER (PARTITION BY tenant_id ORDER BY MIN(next_attempt_at), endpoint_id) AS turn
      FROM webhook_deliveries
      WHERE status = 'pending' AND next_attempt_at <= ${now}
      GROUP BY tenant_id, endpoint_id
    )
    ORDER BY turn, due, endpoint_id
    LIMIT ${limit}`);
}

/** An endpoint's oldest due delivery (in the order the events happened). */
export async function nextDueDelivery(
  db: Db,
  tenantId: string,
  endpointId: string,
  now: number,
): Promise<DeliveryRow | undefined> {
  const [row] = await db
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.tenantId, tenantId),
        eq(webhookDeliveries.endpointId, endpointId),
        eq(webhookDeliveries.status, 'pending'),
        lte(webhookDeliveries.nextAttemptAt, now),
      ),
    )
    .orderBy(asc(webhookDeliveries.createdAt), sql`rowid`)
    .limit(1);
  return row;
}

/** After a failed attempt, the endpoint's other due deliveries wait as long as the failed one. */
export async function postponeDue(db: Db, tenantId: string, endpointId: string, now: number, until: number) {
  await db
    .update(webhookDeliveries)
    .set({ nextAttemptAt: until })
    .where(
      and(
        eq(webhookDeliveries.tenantId, tenantId),
        eq(webhookDeliveries.endpointId, endpointId),
        eq(webhookDeliveries.status, 'pending'),
        lte(webhookDeliveries.nextAttemptAt, now),
      ),
    );
}

/** Disables an endpoint unless it already is (for an atomic unit with the event that reports it). */
export const disableEndpointStatement = (db: Db, id: string, now: number, reason: string) =>
  statementOf(
    db
      .update(webhookEndpoints)
      .set({ disabledAt: now, disabledReason: reason, updatedAt: now })
      .where(and(eq(webhookEndpoints.id, id), isNull(webhookEndpoints.disabledAt))),
  );
