// Builds and serves the app on Node: better-sqlite3 store, Node HTTP server.
import { type ServerType, serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { createApp } from '../app.js';
import { runScheduledJobs } from '../booking/scheduled.js';
import { type Secrets, vaultKeys } from '../config.js';
import { openSqliteStore, type SqliteStore } from '../db/sqlite.js';
import type { AppDeps } from '../deps.js';
import { type Clock, systemClock } from '../domain/clock.js';
import { memoryRateLimiter } from '../http/memory-rate-limiter.js';
import type { Logger } from '../logger.js';
import { nodeEgress } from '../security/egress-node.js';
import { installSha256 } from '../security/encoding.js';
import { answerClientError } from './client-errors.js';
import { createNodePhoneVault, nodeSha256Hex } from './crypto.js';
import { nodeRealtimeSideband } from './realtime-sideband.js';

// Node's synchronous SHA-256: same digests as Web Crypto, without a threadpool hop per request.
installSha256(nodeSha256Hex);

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
  /** How often the timed jobs (no-show detection, purges) run; 0 turns the timer off. Default 60 s. */
  schedulerIntervalMs?: number;
}

export interface NodeService {
  deps: AppDeps & { store: SqliteStore };
  url: string;
  close(): Promise<void>;
}

export async function buildNodeDeps(options: NodeServiceOptions): Promise<AppDeps & { store: SqliteStore }> {
  return {
    store: openSqliteStore(options.databasePath),
    vault: createNodePhoneVault(vaultKeys(options.secrets)),
    clock: options.clock ?? systemClock,
    logger: options.logger,
    rateLimiter: memoryRateLimiter(),
    rateLimits: options.rateLimits,
    clientAddress: (c) => getConnInfo(c).remote.address,
    egress: nodeEgress(options.allowPrivateTargets ?? false),
    publicBaseUrl: options.publicBaseUrl,
    realtimeSideband: nodeRealtimeSideband(options.logger, options.allowPrivateTargets ?? false),
  };
}

/** Runs the timed jobs on an interval, logging what they changed; a failure is logged, not fatal. */
function startScheduler(deps: AppDeps, intervalMs: number) {
  if (intervalMs <= 0) return undefined;
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      const report = await runScheduledJobs(deps, deps.clock.now());
      const { webhooks } = report;
      if (
        report.noShows ||
        report.idempotencyKeysPurged ||
        webhooks.delivered ||
        webhooks.retried ||
        webhooks.failed
      ) {
        deps.logger.info('scheduled_jobs', { ...report });
      }
    } catch (error) {
      deps.logger.error('scheduled_jobs_failed', {
        error: error instanceof Error ? error.message : String(error),
      });
    } finally {
      running = false;
    }
  }, intervalMs);
  timer.unref();
  return timer;
}

/** Starts the HTTP service; port 0 picks a free port (tests, benchmarks). */
export async function startNodeService(options: NodeServiceOptions): Promise<NodeService> {
  const deps = await buildNodeDeps(options);
  const app = createApp(deps);
  const host = options.host ?? '127.0.0.1';
  const server: ServerType = await new Promise((ready) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? 8787, hostname: host }, () => ready(s));
  });
  server.on('clientError', answerClientError(options.logger));
  const timer = startScheduler(deps, options.schedulerIntervalMs ?? 60_000);
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
        if (timer) clearInterval(timer);
        server.close(() => {
          deps.store.close();
          done();
        });
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
