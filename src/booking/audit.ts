// The audit log: who read, exported or erased a patient's personal data, and when. Kept per clinic
// for its auditRetentionDays, then purged by the timed jobs.
import type { SQL } from 'drizzle-orm';
import type { Tenant } from '../accounts/tenants.js';
import { type AuditRow, insertAuditIf, listAuditRows } from '../db/audit.js';
import { compile } from '../db/store.js';
import type { AppDeps } from '../deps.js';
import { renderInstant } from '../domain/time.js';

export const AUDIT_ACTIONS = ['patient.read', 'patient.exported', 'patient.erased', 'call.read'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  actor: string;
  action: AuditAction;
  /** `patient:<phone hash>` or `call:<id>`: never a raw number. */
  subject: string;
}

export const patientSubject = (hash: string) => `patient:${hash}`;
export const callSubject = (id: string) => `call:${id}`;

export const auditRow = (tenant: Tenant, entry: AuditEntry, now: number): AuditRow => ({
  id: crypto.randomUUID(),
  tenantId: tenant.id,
  ...entry,
  occurredAt: now,
});

/** The audit row as a statement of an atomic unit, written only if `condition` holds. */
export const auditIf = (row: AuditRow, condition?: SQL): SQL => insertAuditIf(row, condition);

/** Records a read (its own unit: the read changed nothing to join). */
export async function recordAudit(deps: AppDeps, tenant: Tenant, entry: AuditEntry): Promise<void> {
  await deps.store.atomic([compile(insertAuditIf(auditRow(tenant, entry, deps.clock.now())))]);
}

/** Records several reads at once (one unit), e.g. every patient phone a page disclosed. */
export async function recordAudits(deps: AppDeps, tenant: Tenant, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const now = deps.clock.now();
  await deps.store.atomic(entries.map((e) => compile(insertAuditIf(auditRow(tenant, e, now)))));
}

export interface AuditPage {
  items: { id: string; actor: string; action: string; subject: string; occurredAt: string }[];
  nextCursor: { at: number; id: string } | null;
}

export async function listAudit(
  deps: AppDeps,
  tenant: Tenant,
  query: { action?: AuditAction; before?: { at: number; id: string }; limit: number },
): Promise<AuditPage> {
  const rows = await listAuditRows(deps.store.db, { tenantId: tenant.id, ...query, limit: query.limit + 1 });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      id: r.id,
      actor: r.actor,
      action: r.action,
      subject: r.subject,
      occurredAt: renderInstant(r.occurredAt, tenant.config.timezone),
    })),
    nextCursor: rows.length > query.limit && last ? { at: last.occurredAt, id: last.id } : null,
  };
}
