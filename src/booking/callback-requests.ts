// Messages and callback requests: when a call cannot end in a booking, the caller leaves who they
// are, why they called and how urgent it is; the clinic lists them (GET /v1/callback-requests) and
// its PMS hears of each one (webhook event callback_request.created, queued in the same unit).
import type { Tenant } from '../accounts/tenants.js';
import {
  type CallbackRequestRow,
  callbackWrittenBy,
  insertCallbackRequestIf,
  listCallbackRequests,
} from '../db/callback-requests.js';
import { enqueueEventIf } from '../db/webhooks.js';
import type { AppDeps } from '../deps.js';
import { fieldInvalid } from '../domain/errors.js';
import { toE164 } from '../domain/phone.js';
import { maskPhone } from '../domain/phone-mask.js';
import { renderInstant } from '../domain/time.js';
import type { CallbackUrgency } from '../domain/vocabulary.js';
import { type CommandPlan, type CommandResult, runCommand } from './command.js';
import type { CommandContext } from './context.js';
import { decodeCursor, encodeCursor } from './cursor.js';

export const CALLBACK_EVENTS = ['callback_request.created'] as const;

/** What the sealed number is bound to: its clinic and the request's id (AES-GCM associated data). */
const callbackSeal = (tenantId: string, id: string) => `callback:${tenantId}:${id}`;

/** A callback request as the API and webhooks show it: the number as hash and masked form only. */
export interface CallbackRequestView {
  id: string;
  callId: string | null;
  callerName: string;
  phoneHash: string | null;
  phoneMasked: string | null;
  reason: string;
  urgency: CallbackUrgency;
  createdAt: string;
}

export type CallbackOutcome = { kind: 'taken'; request: CallbackRequestView; record: CallbackRequestRow };

export interface NewCallbackRequest {
  callerName: string;
  /** The number to call back, as given (E.164 or national), or null when there is none. */
  phone: string | null;
  reason: string;
  urgency: CallbackUrgency;
  callId?: string | null;
}

const view = (row: CallbackRequestRow, phone: string | null, zone: string): CallbackRequestView => ({
  id: row.id,
  callId: row.callId,
  callerName: row.callerName,
  phoneHash: row.phoneHash,
  phoneMasked: phone ? maskPhone(phone) : null,
  reason: row.reason,
  urgency: row.urgency,
  createdAt: renderInstant(row.createdAt, zone),
});

/** Records a callback request and queues its event, in one unit (idempotent with the context's key). */
export async function takeMessage(
  ctx: CommandContext<CallbackOutcome>,
  input: NewCallbackRequest,
): Promise<CommandResult> {
  const { deps, tenant } = ctx;
  const e164 = input.phone ? toE164(input.phone, tenant.country) : null;
  if (input.phone && !e164) throw fieldInvalid('phone', 'Not a valid phone number');
  const callerName = input.callerName.trim();
  const reason = input.reason.trim();
  if (!callerName) throw fieldInvalid('callerName', 'Who is the message from?');
  if (!reason) throw fieldInvalid('reason', 'What is the message about?');

  return runCommand(ctx, async (commandId, now): Promise<CommandPlan<CallbackOutcome>> => {
    const id = crypto.randomUUID();
    const row: CallbackRequestRow = {
      id,
      tenantId: tenant.id,
      callId: input.callId ?? null,
      callerName,
      phoneHash: e164 ? await deps.vault.hash(e164, tenant.id) : null,
      phoneEncrypted: e164 ? await deps.vault.encrypt(e164, callbackSeal(tenant.id, id)) : null,
      reason,
      urgency: input.urgency,
      commandId,
      createdAt: now,
    };
    const request = view(row, e164, tenant.config.timezone);
    const eventId = `evt_${crypto.randomUUID().replace(/-/g, '')}`;
    const written = callbackWrittenBy(id, commandId);
    const payload = JSON.stringify({
      id: eventId,
      type: 'callback_request.created',
      createdAt: renderInstant(now, tenant.config.timezone),
      tenantId: tenant.id,
      data: { callbackRequest: request },
    });
    return {
      writes: (guard) => [
        insertCallbackRequestIf(row, guard),
        // No event without the request, and no request without its event.
        enqueueEventIf(
          { id: eventId, type: 'callback_request.created', tenantId: tenant.id, payload, now },
          written,
        ),
      ],
      outcomes: [{ when: written, outcome: { kind: 'taken', request, record: row } }],
    };
  });
}

/** A request as the clinic reads it back: the view plus the number (the door decides who sees it). */
export interface CallbackRequestRecord extends CallbackRequestView {
  phone: string | null;
}

/** One page of the clinic's callback requests, newest first. */
export async function findCallbackRequests(
  deps: AppDeps,
  tenant: Tenant,
  query: { cursor?: string; limit: number; callId?: string },
): Promise<{ items: CallbackRequestRecord[]; nextCursor: string | null }> {
  const rows = await listCallbackRequests(deps.store.db, {
    tenantId: tenant.id,
    callId: query.callId,
    before: query.cursor ? decodeCursor(query.cursor) : undefined,
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const items = await Promise.all(
    page.map(async (row) => {
      const phone = row.phoneEncrypted
        ? await deps.vault.decrypt(row.phoneEncrypted, callbackSeal(row.tenantId, row.id))
        : null;
      return { ...view(row, phone, tenant.config.timezone), phone };
    }),
  );
  return {
    items,
    nextCursor: rows.length > query.limit && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null,
  };
}
