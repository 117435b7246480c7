// The harness every HTTP test runs against. Node implements it with a real server on a real SQLite
// file; the clinic-objects project implements it inside workerd, through the Worker's router into
// each clinic's Durable Object. Tests only see this interface.
import type { Grant } from '../../src/accounts/scopes.js';
import type { TrustProxy } from '../../src/http/client-address.js';

export interface Reply<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  key?: string | null;
  headers?: Record<string, string>;
  /** JSON-encoded unless it is already a string. */
  body?: unknown;
  query?: Record<string, string | number | string[] | undefined>;
}

export interface Clinic {
  tenantId: string;
  key: string;
  keyId: string;
}

export interface ClinicOptions {
  name?: string;
  timezone?: string;
  country?: string;
  status?: 'trial' | 'active' | 'past_due' | 'canceled';
}

export interface TestAppOptions {
  now?: number;
  /**
   * Node: each request waits, before and after, for the work answers left for after them (a call's
   * log, a delivery run), as a clinic's object finishes it before the next request. Off for a test
   * whose after-answer work hangs on purpose (an endpoint that never answers).
   */
  awaitAfterAnswer?: boolean;
  /** Defaults to effectively unlimited; pass Mivicall's numbers to test the limiter. */
  rateLimits?: {
    perKeyPerMinute?: number;
    perKeyPerSecond?: number;
    perIpPerMinute?: number;
    authFailuresPerMinute?: number;
    bookingsPerIpPerHour?: number;
  };
  /** Node only: which proxies may name the client (TRUST_PROXY). */
  trustProxy?: TrustProxy;
  /** Receives every log line the service writes (JSON, as in production); the logger is silent without it. */
  logSink?: (line: string) => void;
  /** WEBHOOKS_ALLOW_PRIVATE_TARGETS: lets webhooks and an OpenAI baseURL reach listeners on 127.0.0.1. */
  allowPrivateTargets?: boolean;
  /** PUBLIC_BASE_URL of the service (Node defaults to its own http://127.0.0.1:PORT). */
  publicBaseUrl?: string;
  /** VAPI_API_BASE_URL and the like: where the voice platforms' APIs are (a local stand-in). */
  platformApiBaseUrls?: Partial<Record<'vapi' | 'retell' | 'twilio' | 'telnyx', string>>;
  /**
   * Stands in for Twilio and Telnyx (test/support/message-stand-ins.ts). Node serves it on 127.0.0.1
   * and points TWILIO_API_BASE_URL and TELNYX_API_BASE_URL at it (the Twilio SDK's real requests);
   * inside workerd, where a test cannot listen, the Worker's fetch clients call it in process.
   */
  messageStandIn?: (request: Request) => Promise<Response>;
  /** ADMIN_TOKEN: mounts the operator's API (/admin/v1) behind it. */
  adminToken?: string;
  /** Send due messages right after each write, as the real entries do; off by default (tests run the jobs). */
  sendMessagesAfterWrites?: boolean;
  /** Counts storage round trips (test/support/store-calls.ts); read them with `trips()`. */
  countTrips?: boolean;
  /**
   * Node only: the database in memory, where atomic units run on the request thread's own connection
   * (no writer thread), so a test sees every statement the service prepares.
   */
  inMemory?: boolean;
}

export interface TestApp {
  /** The real server's URL (Node only: inside workerd requests go straight to the app). */
  baseUrl?: string;
  request<T = any>(method: string, path: string, options?: RequestOptions): Promise<Reply<T>>;
  /** A plain fetch to the service (for clients that speak HTTP themselves, such as an MCP client). */
  fetch(url: string | URL, init?: RequestInit): Promise<Response>;
  /** Moves the service's clock (ms since epoch). */
  setNow(ms: number): void;
  now(): number;
  createClinic(options?: ClinicOptions): Promise<Clinic>;
  createKey(
    tenantId: string,
    scopes: Grant[],
    /** `mode: 'test'` issues a miv_test_ key, which reaches the clinic's sandbox. */
    options?: { expiresInDays?: number; mode?: 'live' | 'test' },
  ): Promise<{ key: string; keyId: string }>;
  revokeKey(keyId: string): Promise<void>;
  setTenantStatus(tenantId: string, status: string): Promise<void>;
  /** Runs a read-only SQL query against the service's database. */
  sql(query: string, ...params: unknown[]): Promise<Record<string, unknown>[]>;
  /**
   * Runs SQL that changes the database directly (to inject failures, age rows). With `tenantId`, the
   * statement is about that clinic's data: in clinic-objects mode it runs only in the clinic's
   * object (else in every object); Node has one database and runs it there either way.
   */
  exec(statement: string, tenantId?: string): Promise<void>;
  /** Runs the timed jobs once at the service's "now", as the Node timer or the Workers cron does. */
  runScheduledJobs(): Promise<{
    noShows: number;
    idempotencyKeysPurged: number;
    webhooks: { delivered: number; retried: number; failed: number; simulated?: number };
    remindersQueued: number;
    messages: { sent: number; retried: number; failed: number; skipped: number; unknown: number };
  }>;
  /** Storage round trips so far (only with `countTrips`). */
  trips(): number;
  /** What each counted trip ran, in order. */
  tripLog(): string[];
  /**
   * With `countTrips`, work left for after an answer (the key touch, a webhook run) waits for this
   * call, so the trips before it are the ones callers wait for.
   */
  runAfterAnswer(): Promise<void>;
  close(): Promise<void>;
}
