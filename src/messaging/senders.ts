// A clinic's senders: per channel, the provider, the number patients see, and sealed credentials.
import type { Tenant } from '../accounts/tenants.js';
import { deleteSender, listSenders, type SenderRow, upsertSender } from '../db/messages.js';
import type { AppDeps } from '../deps.js';
import { fieldInvalid } from '../domain/errors.js';
import type { MessageChannel, MessageProvider } from '../domain/message-vocabulary.js';
import { MESSAGE_CREDENTIALS, type MessageCredentials, senderSeal } from './credentials.js';

// A sender's id is in its webhook's path (MESSAGE_WEBHOOK_PREFIX/{id}), which the Worker routes by.
const SENDER_ID = /^snd_[0-9a-f]{32}$/;
const newSenderId = () => `snd_${crypto.randomUUID().replace(/-/g, '')}`;
/** Whether `text` has a sender id's shape (the Worker's router checks before looking it up). */
export const isSenderId = (text: string) => SENDER_ID.test(text);

export interface SenderInput {
  provider: MessageProvider;
  from: string;
  credentials: unknown;
}

/** Creates or replaces the clinic's sender for a channel; the credentials are sealed before storing. */
export async function configureSender(
  deps: AppDeps,
  tenant: Tenant,
  channel: MessageChannel,
  input: SenderInput,
): Promise<SenderRow> {
  if (channel === 'whatsapp' && input.provider !== 'twilio') {
    throw fieldInvalid('provider', 'WhatsApp goes through Twilio');
  }
  const parsed = MESSAGE_CREDENTIALS[input.provider].safeParse(input.credentials);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw fieldInvalid(['credentials', ...(issue?.path ?? [])].join('.'), issue?.message ?? 'Invalid');
  }
  const now = deps.clock.now();
  const id = newSenderId();
  // The id is fixed at first save: a replaced sender keeps its webhook URL, and its seal.
  const existing = (await listSenders(deps.store.db, tenant.id)).find((s) => s.channel === channel);
  const senderId = existing?.id ?? id;
  if (!existing && (await deps.announce?.('sender', senderId)) === false) {
    throw new Error(`Sender id ${senderId} is taken`);
  }
  return upsertSender(deps.store.db, {
    id: senderId,
    tenantId: tenant.id,
    channel,
    provider: input.provider,
    fromNumber: input.from,
    credentialsEncrypted: await deps.vault.encrypt(
      JSON.stringify(parsed.data),
      senderSeal(tenant.id, senderId),
    ),
    createdAt: now,
    updatedAt: now,
  });
}

export const tenantSenders = (deps: AppDeps, tenant: Tenant) => listSenders(deps.store.db, tenant.id);

export const removeSender = (deps: AppDeps, tenant: Tenant, channel: MessageChannel) =>
  deleteSender(deps.store.db, tenant.id, channel);

export async function senderCredentials<P extends MessageProvider>(
  deps: AppDeps,
  sender: SenderRow & { provider: P },
): Promise<MessageCredentials[P]> {
  const json = await deps.vault.decrypt(sender.credentialsEncrypted, senderSeal(sender.tenantId, sender.id));
  return JSON.parse(json) as MessageCredentials[P];
}

/** Where the provider reports on this sender's messages and patients' replies reach us. */
export const senderWebhookPath = (senderId: string) => `/v1/messaging/webhooks/${senderId}`;
