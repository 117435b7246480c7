// Builds and serves the app on Node: better-sqlite3 store, Node HTTP server.
import { type ServerType, serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { createApp } from '../app.js';
import { type PlatformApiBaseUrls, type Secrets, vaultKeys } from '../config.js';
import { openSqliteStore, type SqliteStore, type SqliteStoreOptions } from '../db/sqlite.js';
import type { AppDeps } from '../deps.js';
import { type Clock, systemClock } from '../domain/clock.js';
import { clientAddress, type TrustProxy } from '../http/client-address.js';
import { memoryRateLimiter } from '../http/memory-rate-limiter.js';
import type { Logger } from '../logger.js';
import { telnyxRest } from '../messaging/providers/telnyx.js';
import { twilioSdk } from '../messaging/providers/twilio-sdk.js';
import { nodeEgress } from '../security/egress-node.js';
import { createLinkSigner } from '../security/signed-link.js';
import { TIMED_JOBS_INTERVAL_MS } from '../timed-jobs.js';
import { answerClientError } from './client-errors.js';
import { createNodePhoneVault, nodeHmac, nodeSha256Hex } from './crypto.js';
import { nodeRealtimeSideband } from './realtime-sideband.js';
import { startTimedJobs } from './timer.js';

export interface NodeServiceOptions {
  databasePath: string;
  secrets: Secrets;
  logger: Logger;
  clock?: Clock;
  port?: number;
  host?: string;
  rateLimits?: AppDeps['rateLimits'];
  /** PUBLIC_BASE_URL; unset, the server's own http://HOST:PORT (development). */
  publicBaseUrl?: string;
  /** WEBHOOKS_ALLOW_PRIVATE_TARGETS: clinic-chosen URLs may reach loopback and private networks. */
  allowPrivateTargets?: boolean;
  /** Which proxies may name the client (X-Forwarded-For); default: none. */
  trustProxy?: TrustProxy;
  /** How often the timed jobs (no-show detection, purges) run; 0 turns the timer off. Default 60 s. */
  schedulerIntervalMs?: number;
  /** *_API_BASE_URL: the voice platforms' APIs, when not their public defaults. */
  platformApiBaseUrls?: PlatformApiBaseUrls;
  /** ADMIN_TOKEN: mounts the operator's API (/admin/v1) behind it. */
  adminToken?: string;
  /** Send a clinic's due messages right after its writes (AppDeps.sendMessagesAfterWrites); default on. */
  sendMessagesAfterWrites?: boolean;
  /** Sees the statements and units the store runs (tests count storage round trips with them). */
  watch?: SqliteStoreOptions;
  /** Overrides of the HTTP timeouts (tests shorten them); see SERVER_TIMEOUTS. */
  timeouts?: Partial<ServerTimeouts>;
}

export interface ServerTimeouts {
  /** The request line and headers must arrive within this (a slowloris client trickles them). */
  headersMs: number;
  /** The whole request, body included, must arrive within this. */
  requestMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveMs: number;
}

// Node's defaults (60 s for headers, 300 s for a request) let a few hundred slow clients hold every
// socket for minutes. Our requests are small (bodies ≤ 1 MiB): a client that needs more than 10 s for
// its headers or 30 s for the whole request is answered 408 and closed. An idle keep-alive connection
// is kept 5 s (Node's default, stated here so a change is a decision): a reverse proxy that pools
// connections should use a shorter idle timeout than this.
export const SERVER_TIMEOUTS: ServerTimeouts = { headersMs: 10_000, requestMs: 30_000, keepAliveMs: 5_000 };

export interface NodeService {
  deps: AppDeps & { store: SqliteStore };
  url: string;
  close(): Promise<void>;
}

export async function buildNodeDeps(options: NodeServiceOptions): Promise<AppDeps & { store: SqliteStore }> {
  return {
    store: openSqliteStore(options.databasePath, options.watch),
    unfinished: new Set(),
    vault: createNodePhoneVault(vaultKeys(options.secrets)),
    // Synchronous: the same digests as Web Crypto, without a threadpool hop per request.
    sha256Hex: nodeSha256Hex,
    hmac: nodeHmac,
    clock: options.clock ?? systemClock,
    logger: options.logger,
    rateLimiter: memoryRateLimiter(),
    rateLimits: options.rateLimits,
    clientAddress: (c) =>
      clientAddress(
        getConnInfo(c).remote.address,
        c.req.header('x-forwarded-for'),
        options.trustProxy ?? { hops: 0 },
      ),
    egress: nodeEgress(options.allowPrivateTargets ?? false),
    publicBaseUrl: options.publicBaseUrl,
    links: await createLinkSigner(options.secrets.PHONE_ENCRYPTION_KEY.secret),
    platformApiBaseUrls: options.platformApiBaseUrls,
    realtimeSideband: nodeRealtimeSideband(options.logger, options.allowPrivateTargets ?? false),
    adminToken: options.adminToken,
    sendMessagesAfterWrites: options.sendMessagesAfterWrites ?? true,
    // Twilio through its official SDK on Node; Telnyx over fetch (src/messaging/providers/types.ts).
    messageProviders: {
      twilio: twilioSdk(options.platformApiBaseUrls?.twilio),
      telnyx: telnyxRest(options.platformApiBaseUrls?.telnyx),
    },
  };
}

/** Starts the HTTP service; port 0 picks a free port (tests, benchmarks). */
export async function startNodeService(options: NodeServiceOptions): Promise<NodeService> {
  const deps = await buildNodeDeps(options);
  const app = createApp(deps);
  const host = options.host ?? '127.0.0.1';
  const timeouts = { ...SERVER_TIMEOUTS, ...options.timeouts };
  const serverOptions = {
    headersTimeout: timeouts.headersMs,
    requestTimeout: timeouts.requestMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    // Node checks the two timeouts above on this interval (default 30 s, longer than headersMs).
    connectionsCheckingInterval: Math.min(1_000, timeouts.headersMs),
  };
  const server: ServerType = await new Promise((ready) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? 8787, hostname: host, serverOptions }, () =>
      ready(s),
    );
  });
  server.on('clientError', answerClientError(options.logger));
  const stopTimedJobs = startTimedJobs(deps, options.schedulerIntervalMs ?? TIMED_JOBS_INTERVAL_MS);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  // An unspecified bind address is not somewhere a client can be sent: name this machine instead.
  const printed = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  deps.publicBaseUrl ??= `http://${printed}:${port}`;
  return {
    deps,
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((done) => {
        stopTimedJobs();
        // Work left for after the answers (a call's log, a delivery run) still writes: it finishes
        // before the database closes.
        server.close(() => {
          void settled(deps)
            .then(() => deps.store.close())
            .then(done);
        });
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}

/** Resolves once no work left for after an answer is running (work may leave more: waits for it too). */
export async function settled(deps: AppDeps): Promise<void> {
  while (deps.unfinished?.size) await Promise.allSettled([...deps.unfinished]);
}
