// The clinic's view of its messages (GET /v1/messages): what went, when, and what became of it. The
// number only as its keyed hash and masked; bodies are never kept.
import type { Tenant } from '../accounts/tenants.js';
import { listMessages, type MessageRow } from '../db/messages.js';
import type { AppDeps } from '../deps.js';
import { renderInstant, renderOptionalInstant } from '../domain/time.js';

export type Message = MessageRow;

export const tenantMessages = (
  deps: AppDeps,
  tenant: Tenant,
  filter: { appointmentId?: string; before?: number; limit: number },
) => listMessages(deps.store.db, tenant.id, filter);

/** A message as the clinic (and, in an export, the patient) sees it; instants in the clinic's zone. */
export const viewMessage = (m: Message, zone: string) => ({
  id: m.id,
  appointmentId: m.appointmentId,
  kind: m.kind,
  status: m.status,
  channel: m.channel,
  provider: m.provider,
  to: m.toMasked,
  phoneHash: m.phoneHash,
  providerMessageId: m.providerMessageId,
  segments: m.segments,
  encoding: m.encoding,
  attempts: m.attempts,
  lastError: m.lastError,
  createdAt: renderInstant(m.createdAt, zone),
  scheduledFor: m.status === 'queued' ? renderInstant(m.nextAttemptAt, zone) : null,
  sentAt: renderOptionalInstant(m.sentAt, zone),
  updatedAt: renderInstant(m.updatedAt, zone),
});
