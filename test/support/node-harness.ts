// Node implementation of the test harness: the real HTTP server (@hono/node-server) on a real
// SQLite file in a temporary folder, with a clock the test controls.
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { jsonLogger, silentLogger } from '../../src/logger.js';
import { settled, startNodeService } from '../../src/node/server.js';
import { randomBytes, toBase64Url } from '../../src/security/encoding.js';
import { runTimedJobs } from '../../src/timed-jobs.js';
import { adminOperations } from './admin.js';
import { buildRequest, DEFAULT_NOW, parseReply, UNLIMITED } from './http.js';
import { heldAfterAnswer, sqliteTrips } from './store-calls.js';
import type { TestApp, TestAppOptions } from './types.js';

export const runtime = 'node' as const;

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'agendai-test-'));
  let now = options.now ?? DEFAULT_NOW;
  const standIn = options.messageStandIn && (await serveStandIn(options.messageStandIn));
  const counting = options.countTrips ? sqliteTrips() : undefined;
  const settle = options.awaitAfterAnswer ?? true;
  const service = await startNodeService({
    databasePath: options.inMemory ? ':memory:' : join(dir, 'test.db'),
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
    // The message stand-in answers as Twilio and Telnyx; the callback tests' stand-ins as the voice platforms.
    platformApiBaseUrls: {
      ...options.platformApiBaseUrls,
      ...(standIn && { twilio: standIn.url, telnyx: standIn.url }),
    },
    trustProxy: options.trustProxy,
    adminToken: options.adminToken,
    sendMessagesAfterWrites: options.sendMessagesAfterWrites ?? false,
    watch: counting && { onStatement: counting.onStatement, onUnit: counting.onUnit },
  });
  const { store } = service.deps;
  counting?.attach(store.sqlite);
  const later = heldAfterAnswer();
  if (counting) service.deps.afterAnswer = later.hold;

  return {
    baseUrl: service.url,
    async request(method, path, opts = {}) {
      const { url, init } = buildRequest(service.url, method, path, opts);
      // Work left for after earlier answers (theirs, or a sideband's tool call) is done before the
      // test asks again, and this answer's own before the test goes on: as on Workers, where the
      // object finishes it first. It starts when the response has gone out, a turn later.
      if (!settle) return parseReply(await fetch(url, init));
      await settled(service.deps);
      const reply = await parseReply(await fetch(url, init));
      await new Promise((next) => setImmediate(next));
      await settled(service.deps);
      return reply;
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
    trips: () => {
      if (!counting) throw new Error('start the app with countTrips');
      return counting.counter.trips;
    },
    runAfterAnswer: later.run,
    tripLog: () => counting?.counter.log ?? [],
    async close() {
      await service.close();
      await standIn?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Serves a fetch handler on 127.0.0.1 (a provider stand-in). */
async function serveStandIn(handler: (request: Request) => Promise<Response>) {
  const server = await new Promise<ReturnType<typeof serve>>((ready) => {
    const s = serve({ fetch: handler, port: 0, hostname: '127.0.0.1' }, () => ready(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
