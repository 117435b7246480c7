// What a provider posts to a sender's webhook: a delivery status for a message we sent, or a
// patient's reply. Verified with the sender's own credentials (its provider client's validator)
// before anything is read; the raw number of a reply is hashed, never kept.
import { findSenderById, recordProviderStatus } from '../db/messages.js';
import type { AppDeps } from '../deps.js';
import type { MessageProvider } from '../domain/message-vocabulary.js';
import { toE164 } from '../domain/phone.js';
import type { SignedRequest } from './providers/types.js';
import { handleReply, type ReplyOutcome } from './replies.js';
import { providersOf } from './send.js';
import { senderCredentials } from './senders.js';

type Status = 'delivered' | 'undelivered' | 'failed';

type ProviderEvent =
  | { kind: 'status'; providerMessageId: string; status: Status; error: string | null }
  | { kind: 'reply'; from: string; text: string }
  | { kind: 'other' };

const TWILIO_STATUS: Record<string, Status> = {
  delivered: 'delivered',
  read: 'delivered',
  undelivered: 'undelivered',
  failed: 'failed',
};
const TELNYX_STATUS: Record<string, Status> = {
  delivered: 'delivered',
  delivery_failed: 'undelivered',
  sending_failed: 'failed',
};

/** Twilio posts a form: a reply carries Body, a status callback MessageStatus. */
function twilioEvent(raw: string): ProviderEvent {
  const p = new URLSearchParams(raw);
  const body = p.get('Body');
  const from = p.get('From');
  if (body !== null && from) return { kind: 'reply', from: from.replace(/^whatsapp:/, ''), text: body };
  const status = TWILIO_STATUS[p.get('MessageStatus') ?? ''];
  const sid = p.get('MessageSid');
  if (!status || !sid) return { kind: 'other' };
  const code = p.get('ErrorCode');
  return { kind: 'status', providerMessageId: sid, status, error: code ? `Twilio error ${code}` : null };
}

interface TelnyxWebhook {
  data?: {
    event_type?: string;
    payload?: {
      id?: string;
      text?: string;
      from?: { phone_number?: string };
      to?: { status?: string }[];
      errors?: { code?: string; title?: string }[];
    };
  };
}

/** Telnyx posts JSON events: message.received is a reply, message.finalized a final status. */
function telnyxEvent(raw: string): ProviderEvent {
  let event: TelnyxWebhook;
  try {
    event = JSON.parse(raw) as TelnyxWebhook;
  } catch {
    return { kind: 'other' };
  }
  const type = event.data?.event_type;
  const payload = event.data?.payload ?? {};
  if (type === 'message.received' && payload.from?.phone_number && typeof payload.text === 'string') {
    return { kind: 'reply', from: payload.from.phone_number, text: payload.text };
  }
  const status = TELNYX_STATUS[payload.to?.[0]?.status ?? ''];
  if ((type === 'message.finalized' || type === 'message.sent') && status && payload.id) {
    const first = payload.errors?.[0];
    const error = first ? `Telnyx ${first.code ?? ''} ${first.title ?? ''}`.trim() : null;
    return { kind: 'status', providerMessageId: payload.id, status, error };
  }
  return { kind: 'other' };
}

export type WebhookOutcome =
  | { kind: 'unknown_sender' }
  | { kind: 'bad_signature'; provider: MessageProvider }
  | { kind: 'done'; provider: MessageProvider; reply?: ReplyOutcome; status?: Status };

export async function receiveProviderWebhook(
  deps: AppDeps,
  senderId: string,
  request: Omit<SignedRequest, 'now'>,
): Promise<WebhookOutcome> {
  const sender = await findSenderById(deps.store.db, senderId);
  if (!sender) return { kind: 'unknown_sender' };
  const signed = { ...request, now: deps.clock.now() };
  const providers = providersOf(deps);
  const provider = sender.provider;
  const valid =
    provider === 'twilio'
      ? await providers.twilio.verify(await senderCredentials(deps, { ...sender, provider }), signed)
      : await providers.telnyx.verify(await senderCredentials(deps, { ...sender, provider }), signed);
  if (!valid) return { kind: 'bad_signature', provider };

  const event = provider === 'twilio' ? twilioEvent(request.raw) : telnyxEvent(request.raw);
  if (event.kind === 'status') {
    await recordProviderStatus(deps.store.db, sender.id, event.providerMessageId, {
      status: event.status,
      lastError: event.error,
      updatedAt: signed.now,
    });
    return { kind: 'done', provider, status: event.status };
  }
  if (event.kind === 'reply') {
    const from = toE164(event.from);
    if (!from) return { kind: 'done', provider };
    const reply = await handleReply(deps, {
      tenantId: sender.tenantId,
      from,
      text: event.text,
      channel: sender.channel,
    });
    return { kind: 'done', provider, reply };
  }
  return { kind: 'done', provider };
}
