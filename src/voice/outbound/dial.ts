// Placing an outbound call through a voice platform's API. One dialer per platform (./vapi.ts …);
// each turns a refusal or a failure of the platform into `platform_error` with the platform's own
// reason (numbers masked), never an unhandled exception: the REST door answers it as 502.
import { AppError } from '../../domain/errors.js';
import { maskPhonesInText } from '../../domain/phone-mask.js';
import type { DialPlatform, OutboundConfig } from './config.js';

/** Where each platform's API is; PLATFORM_API_BASE_URLS below unless the operator overrides one. */
export type PlatformApiBaseUrls = Record<DialPlatform, string>;

export const PLATFORM_API_BASE_URLS: PlatformApiBaseUrls = {
  vapi: 'https://api.vapi.ai',
  retell: 'https://api.retellai.com',
  twilio: 'https://api.twilio.com',
  telnyx: 'https://api.telnyx.com',
};

/** A platform that does not answer within this long is reported as failed. */
export const DIAL_TIMEOUT_MS = 15_000;

export interface DialRequest<P extends DialPlatform> {
  /** The platform's API root (no trailing slash). */
  baseUrl: string;
  /** The API secret from the integration's sealed credentials. */
  secret: string;
  outbound: OutboundConfig<P>;
  /** The caller being called back, E.164. */
  to: string;
  /** Our ids, handed to platforms that carry metadata back in their webhooks. */
  callbackId: string;
  callId: string;
  /** The integration's webhook URL (Twilio reports the call's status there). */
  webhookUrl: string;
}

export interface Dialed {
  /** The platform's id of the new call. */
  externalCallId: string;
}

export type Dialer<P extends DialPlatform> = (request: DialRequest<P>) => Promise<Dialed>;

export const PLATFORM_NAMES: Record<DialPlatform, string> = {
  vapi: 'Vapi',
  retell: 'Retell',
  twilio: 'Twilio',
  telnyx: 'Telnyx',
};

/**
 * A dial that failed. `maybePlaced` when the platform may have placed the call all the same: it did
 * not answer (a timeout, a dropped connection), answered 5xx, or accepted without saying which call.
 * A 4xx is a refusal and a 3xx a pointer elsewhere (never followed: it could lead past the egress
 * check); neither acted on the request, so nothing rings.
 */
export class DialFailed extends AppError {
  constructor(
    message: string,
    readonly maybePlaced: boolean,
  ) {
    super('platform_error', message);
  }
}

/** Whether a platform's answer (an HTTP status, or none) leaves the call possibly placed. */
const mayHavePlaced = (status: number | null) =>
  status === null || status >= 500 || (status >= 200 && status < 300);

/**
 * The platform refused (an HTTP status) or could not be reached (no status). `sent: false` when the
 * request never left (it could not be built): then nothing can have been placed.
 */
export function platformError(
  platform: DialPlatform,
  status: number | null,
  reason: string,
  { sent = true }: { sent?: boolean } = {},
): DialFailed {
  const name = PLATFORM_NAMES[platform];
  const said = maskPhonesInText(reason.replace(/\s+/g, ' ').trim()).slice(0, 300);
  const maybePlaced = sent && mayHavePlaced(status);
  const what =
    status === null
      ? `${name} could not be reached to place the callback: ${said}`
      : `${name} refused the callback (HTTP ${status}): ${said || 'no reason given'}`;
  return new DialFailed(
    maybePlaced
      ? `${what}. The call may have been placed all the same, so it is not dialled again with this Idempotency-Key; check the call with ${name} before asking again with a new key`
      : what,
    maybePlaced,
  );
}

/** The reason a platform gave in a JSON error body, in the places platforms put it. */
export function reasonOf(body: unknown, fallback: string): string {
  if (!body || typeof body !== 'object') return fallback;
  const b = body as Record<string, unknown>;
  const first = Array.isArray(b.errors) ? (b.errors[0] as Record<string, unknown> | undefined) : undefined;
  const candidates = [b.message, b.error_message, first?.detail, first?.title, b.error, b.detail];
  for (const c of candidates) {
    if (typeof c === 'string' && c) return c;
    if (Array.isArray(c) && typeof c[0] === 'string') return c.join('; ');
  }
  return fallback;
}

/**
 * POSTs to a platform and returns its JSON; a non-2xx answer, a network failure or a timeout
 * becomes platform_error. No retry here: a retried create could ring the patient twice.
 */
export async function postToPlatform(
  platform: DialPlatform,
  url: string,
  init: { headers: Record<string, string>; body: string },
): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: init.headers,
      body: init.body,
      // A redirect is an answer, not a route: following it would repeat the POST (and its key)
      // somewhere the operator never configured.
      redirect: 'manual',
      signal: AbortSignal.timeout(DIAL_TIMEOUT_MS),
    });
  } catch (error) {
    throw platformError(platform, null, error instanceof Error ? error.message : 'network error');
  }
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!response.ok) throw platformError(platform, response.status, reasonOf(body, response.statusText));
  if (!body || typeof body !== 'object') throw platformError(platform, response.status, 'answer is not JSON');
  return body as Record<string, unknown>;
}

/** The id field of a platform's answer, or platform_error when it is missing. */
export function idIn(platform: DialPlatform, value: unknown): string {
  if (typeof value === 'string' && value) return value;
  throw platformError(platform, 200, 'the answer carried no call id');
}
