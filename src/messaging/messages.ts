// The clinic's view of its messages (GET /v1/messages): what went, when, and what became of it. The
// number only as its keyed hash and masked; bodies are never kept.
import type { Tenant } from '../accounts/tenants.js';
import { listMessages, type MessageRow } from '../db/messages.js';
import type { AppDeps } from '../deps.js';

export type Message = MessageRow;

export const tenantMessages = (
  deps: AppDeps,
  tenant: Tenant,
  filter: { appointmentId?: string; before?: number; limit: number },
) => listMessages(deps.store.db, tenant.id, filter);
