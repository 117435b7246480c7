// The audit log's statements: one row per read, export or erasure of personal data.
import { and, desc, eq, lt, or, type SQL, sql } from 'drizzle-orm';
import { auditEvents } from './schema.js';
import type { Db } from './store.js';

export type AuditRow = typeof auditEvents.$inferSelect;

/** Inserts the audit row only if `condition` holds (so it joins the atomic unit of what it records). */
export const insertAuditIf = (row: AuditRow, condition: SQL = sql`1`): SQL => sql`
  INSERT INTO audit_events (id, tenant_id, actor, action, subject, occurred_at)
  SELECT ${row.id}, ${row.tenantId}, ${row.actor}, ${row.action}, ${row.subject}, ${row.occurredAt}
  WHERE ${condition}`;

/** SQL condition: the audit row with this id was written (by this unit). */
export const auditWritten = (id: string): SQL => sql`EXISTS (SELECT 1 FROM audit_events WHERE id = ${id})`;

export interface AuditFilter {
  tenantId: string;
  action?: string;
  /** Position after which the page starts (newest first). */
  before?: { at: number; id: string };
  limit: number;
}

export async function listAuditRows(db: Db, f: AuditFilter): Promise<AuditRow[]> {
  return db
    .select()
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.tenantId, f.tenantId),
        f.action ? eq(auditEvents.action, f.action) : undefined,
        f.before
          ? or(
              lt(auditEvents.occurredAt, f.before.at),
              and(eq(auditEvents.occurredAt, f.before.at), lt(auditEvents.id, f.before.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(auditEvents.occurredAt), desc(auditEvents.id))
    .limit(f.limit);
}

/** Deletes a clinic's audit rows older than `cutoff`. */
export const purgeAuditBefore = (tenantId: string, cutoff: number): SQL =>
  sql`DELETE FROM audit_events WHERE tenant_id = ${tenantId} AND occurred_at < ${cutoff}`;
