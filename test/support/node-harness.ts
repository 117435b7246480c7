// Node implementation of the test harness: the real HTTP server (@hono/node-server) on a real
// SQLite file in a temporary folder, with a clock the test controls.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jsonLogger, silentLogger } from '../../src/logger.js';
import { startNodeService } from '../../src/node/server.js';
import { randomBytes, toBase64Url } from '../../src/security/encoding.js';
import { runTimedJobs } from '../../src/timed-jobs.js';
import { adminOperations } from './admin.js';
import { buildRequest, DEFAULT_NOW, parseReply, UNLIMITED } from './http.js';
import type { TestApp, TestAppOptions } from './types.js';

export const runtime = 'node' as const;

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'agendai-test-'));
  let now = options.now ?? DEFAULT_NOW;
  const service = await startNodeService({
    databasePath: join(dir, 'test.db'),
    secrets: {
      PHONE_HASH_KEY: { version: 1, secret: toBase64Url(randomBytes(32)) },
      PHONE_ENCRYPTION_KEY: { version: 1, secret: toBase64Url(randomBytes(32)) },
    },
    logger: options.logSink ? jsonLogger(options.logSink) : silentLogger,
    clock: { now: () => now },
    port: 0,
    // Timed jobs run when a test asks (runScheduledJobs), not on a wall-clock timer.
    schedulerIntervalMs: 0,
    rateLimits: options.rateLimits ?? UNLIMITED,
    allowPrivateTargets: options.allowPrivateTargets,
    publicBaseUrl: options.publicBaseUrl,
    platformApiBaseUrls: options.platformApiBaseUrls,
    trustProxy: options.trustProxy,
  });
  const { store } = service.deps;

  return {
    baseUrl: service.url,
    async request(method, path, opts = {}) {
      const { url, init } = buildRequest(service.url, method, path, opts);
      return parseReply(await fetch(url, init));
    },
    fetch: (url, init) => fetch(url, init),
    setNow: (ms) => {
      now = ms;
    },
    now: () => now,
    ...adminOperations(store.db, () => now),
    sql: async (query, ...params) => store.sqlite.prepare(query).all(...params) as Record<string, unknown>[],
    exec: async (statement) => {
      store.sqlite.exec(statement);
    },
    runScheduledJobs: () => runTimedJobs(service.deps, now),
    async close() {
      await service.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
