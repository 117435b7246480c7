// The closed word lists of messages to patients (src/messaging): each is an enum column with a CHECK
// in src/db/schema.ts, so the database refuses a word the code does not know.

/** How a message reaches the patient. */
export const MESSAGE_CHANNELS = ['sms', 'whatsapp'] as const;
export type MessageChannel = (typeof MESSAGE_CHANNELS)[number];

/** Who carries it (credentials: src/messaging/credentials.ts). Telnyx carries SMS only. */
export const MESSAGE_PROVIDERS = ['twilio', 'telnyx'] as const;
export type MessageProvider = (typeof MESSAGE_PROVIDERS)[number];

/**
 * What a message says. triage: the link to the service's questions before the visit; feedback: the
 * link to rate the visit once it was attended.
 */
export const MESSAGE_KINDS = [
  'confirmation',
  'cancellation',
  'reschedule',
  'reminder',
  'triage',
  'feedback',
] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/**
 * queued: waiting for its first attempt or a retry; sending: handed to the provider, no answer yet;
 * sent: the provider took it; delivered/undelivered: the provider's status callback said so; failed:
 * refused for good or out of retries; skipped: not sent on purpose (the patient opted out, the
 * appointment moved, its number was erased, the daily cap was reached); unknown: the sender stopped
 * while the provider had it (a crash, a lease that ran out), so it may have gone and is not sent
 * again.
 */
export const MESSAGE_STATUSES = [
  'queued',
  'sending',
  'sent',
  'delivered',
  'undelivered',
  'failed',
  'skipped',
  'unknown',
] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** Languages templates come in. */
export const MESSAGE_LANGUAGES = ['pt-PT', 'pt-BR', 'en', 'es'] as const;
export type MessageLanguage = (typeof MESSAGE_LANGUAGES)[number];

/** The furthest ahead of a visit a clinic may send its reminder (`reminderHours`, one week). */
export const MAX_REMINDER_HOURS = 168;
