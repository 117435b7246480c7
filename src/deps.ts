import type { Context } from 'hono';
import type OpenAI from 'openai';
import type { Provisioning } from './accounts/provisioning.js';
// What the application needs from its runtime; each entry (Node, Workers, a test) builds one.
import type { Store } from './db/store.js';
import type { Clock } from './domain/clock.js';
import type { RateLimiter } from './domain/rate-limit.js';
import type { Logger } from './logger.js';
import type { MessageProviders } from './messaging/providers/types.js';
import type { Egress } from './security/egress.js';
import type { Sha256Hex } from './security/encoding.js';
import type { PhoneVault } from './security/phone-vault.js';
import type { Hmac } from './security/signatures.js';
import type { LinkSigner } from './security/signed-link.js';

export interface AppDeps {
  store: Store;
  vault: PhoneVault;
  /** SHA-256 as hex for the per-request API key digest: Web Crypto's, or a faster one that agrees. */
  sha256Hex: Sha256Hex;
  /** HMAC for webhook signatures: Web Crypto's when absent, a faster one that agrees on Node. */
  hmac?: Hmac;
  clock: Clock;
  logger: Logger;
  rateLimiter: RateLimiter;
  /** Limits per API key and per IP; defaults are Mivicall's. */
  rateLimits?: Partial<RateLimitSettings>;
  /** The client's IP address as the runtime sees it (for per-IP limits). */
  clientAddress?: (c: Context) => string | undefined;
  /** How the service reaches URLs a clinic chose (webhooks, an OpenAI baseURL): public addresses only. */
  egress: Egress;
  /**
   * Where clients reach the service, for the URLs it prints (PUBLIC_BASE_URL). Unset only on
   * Workers without the var, where the request's own URL is used (Cloudflare routes by host name).
   */
  publicBaseUrl?: string;
  /** Signs and checks the expiring links the service hands out (a call's recording). */
  links: LinkSigner;
  /**
   * Where the voice platforms' APIs are, per platform, when not the public default (tests, regions):
   * VAPI_API_BASE_URL, RETELL_API_BASE_URL, TWILIO_API_BASE_URL, TELNYX_API_BASE_URL. Set by the
   * operator, never by a clinic.
   */
  platformApiBaseUrls?: Partial<Record<'vapi' | 'retell' | 'twilio' | 'telnyx', string>>;
  /**
   * How messages to patients reach Twilio and Telnyx (the Twilio SDK on Node, fetch on Workers; base
   * URLs from TWILIO_API_BASE_URL, TELNYX_API_BASE_URL). Unset: fetch to the providers' own URLs.
   */
  messageProviders?: MessageProviders;
  /**
   * After a write that answered, send the clinic's due messages at once (a confirmation goes within
   * seconds) instead of at the next timed run. On in the Node and Workers entries; test harnesses
   * leave it off so that tests decide when messages go (runScheduledJobs).
   */
  sendMessagesAfterWrites?: boolean;
  /** Serves an accepted OpenAI Realtime SIP call's tool calls over its sideband WebSocket (Node only). */
  realtimeSideband?: RealtimeSideband;
  /** ADMIN_TOKEN: set, the operator's API (/admin/v1) is mounted and takes it as its bearer token. */
  adminToken?: string;
  /** How clinics are provisioned; unset, in this Store (src/accounts/provisioning.ts). */
  provisioning?: Provisioning;
  /**
   * Tells the runtime that a name leads to this clinic, before the name is handed out: on Workers
   * with one object per clinic, the directory then routes the platform's webhooks for an
   * integration or a sender, and the booking page of a public slug, to it (src/worker/directory.ts).
   * Resolves false when the name is another clinic's (a slug, first come first served). Unset where
   * one store holds every clinic.
   */
  announce?: (kind: RouteName, name: string) => Promise<boolean>;
  /** Gives up a slug announced before that the clinic no longer uses (set with `announce`). */
  release?: (kind: 'slug', name: string) => Promise<void>;
  /**
   * Where work left for after an answer runs (src/http/after-answer.ts). Unset: the runtime's way
   * (Workers' waitUntil, Node's response close). Tests hold it to count it apart from the answer.
   */
  afterAnswer?: (work: () => Promise<void>) => void;
  /**
   * Work left for after an answer that has not finished yet (Node): the server waits for it before it
   * closes the database, and the test harness before it hands a test its answer.
   */
  unfinished?: Set<Promise<void>>;
}

/** What may lead to a clinic without its API key. */
export type RouteName = 'integration' | 'sender' | 'slug';

/** One accepted OpenAI Realtime call, as the voice door hands it to the sideband. */
export interface RealtimeSidebandCall {
  callId: string;
  /** The integration's client (its API key and base URL). */
  client: OpenAI;
  /** Runs one function call of the model through the booking core; resolves to the output to send back. */
  runTool(name: string, args: string, toolCallId: string): Promise<string>;
  /** The sideband closed: the call is over. */
  ended(): Promise<void>;
}

export type RealtimeSideband = (call: RealtimeSidebandCall) => void;

export interface RateLimitSettings {
  perKeyPerMinute: number;
  /** Failed authentications per client IP (API keys) and per voice integration (secrets), per minute. */
  authFailuresPerMinute: number;
  perKeyPerSecond: number;
  perIpPerMinute: number;
  /** Online (booking page) booking attempts per client address per hour: a bot cannot fill the diary. */
  bookingsPerIpPerHour: number;
}

export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  perKeyPerMinute: 300,
  perKeyPerSecond: 30,
  perIpPerMinute: 100,
  authFailuresPerMinute: 20,
  bookingsPerIpPerHour: 10,
};
