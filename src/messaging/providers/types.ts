// What the sender needs from a provider client. Each runtime builds its clients (AppDeps.messaging):
// Node uses the official Twilio SDK; Workers, where that SDK does not run (it needs Node's http and
// crypto, and the Worker runs without Node.js compatibility), speak Twilio's documented REST contract
// with fetch. Telnyx is spoken with fetch on both (one JSON POST; see docs/architecture.md).
import type { MessageChannel } from '../../domain/message-vocabulary.js';
import { maskPhonesInText } from '../../domain/phone-mask.js';
import type { MessageCredentials } from '../credentials.js';

export interface OutgoingMessage {
  channel: MessageChannel;
  /** E.164 */
  to: string;
  from: string;
  body: string;
  /** Where the provider reports delivery (our webhook for this sender); unknown without PUBLIC_BASE_URL. */
  statusCallback?: string;
}

export type SendResult =
  | { ok: true; providerMessageId: string }
  /** retry: a 429, a 5xx or no answer; otherwise the provider refused for good (e.g. invalid number). */
  | { ok: false; retry: boolean; error: string };

/** A webhook request as the door received it. */
export interface SignedRequest {
  /** The URL the provider called, as it signed it. */
  url: string;
  headers: Headers;
  raw: string;
  now: number;
}

export interface ProviderClient<P extends keyof MessageCredentials> {
  send(credentials: MessageCredentials[P], message: OutgoingMessage): Promise<SendResult>;
  verify(credentials: MessageCredentials[P], request: SignedRequest): Promise<boolean>;
}

export interface MessageProviders {
  twilio: ProviderClient<'twilio'>;
  telnyx: ProviderClient<'telnyx'>;
}

/** One attempt's bound: connection to the answer's head. */
export const SEND_TIMEOUT_MS = 10_000;

/** An error's text for the message log (never the body or the number). */
export function describeError(e: unknown): string {
  if (!(e instanceof Error)) return 'Request failed';
  const cause = e.cause instanceof Error ? ` (${e.cause.message})` : '';
  return `${e.name}: ${e.message}${cause}`.slice(0, 300);
}

/** 429 and 5xx are worth another try later; other 4xx are the provider's final word. */
export const retryable = (status: number) => status === 429 || status >= 500;

/**
 * "<Provider> <HTTP status> <code>: <text>" for the message log. Providers name the number in some
 * errors (Twilio's 21211 "The 'To' number +351... is not a valid phone number"): masked like transcripts.
 */
export const providerError = (provider: string, status: number, code: unknown, text: string | undefined) =>
  `${provider} ${status}${code ? ` ${code}` : ''}: ${maskPhonesInText(text ?? 'no detail')}`.slice(0, 300);
