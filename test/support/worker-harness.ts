// Workers implementation of the test harness: the app runs inside workerd on a local D1 database
// (fresh per test file, migrated by test/workers/apply-migrations.ts) and the Durable Object rate
// limiter of wrangler.toml, with a clock the test controls.
//
// How it differs from the Node harness, and why:
// - Requests go to `app.fetch` as a Request object: inside workerd a test cannot open a listening
//   socket. Everything from the app's first middleware on is the same stack as in production.
// - The app is built from createApp like src/worker.ts builds it, not through the Worker's default
//   export, because the test must own the clock; test/workers/entry.test.ts covers the export.
// - The harness stands in for Cloudflare's edge and sets cf-connecting-ip (127.0.0.1, like the
//   Node harness's socket address) unless a test sends its own.
import { env } from 'cloudflare:workers';
import { createApp } from '../../src/app.js';
import { jsonLogger, silentLogger } from '../../src/logger.js';
import { telnyxRest } from '../../src/messaging/providers/telnyx.js';
import { twilioRest } from '../../src/messaging/providers/twilio-rest.js';
import { randomBytes, toBase64Url } from '../../src/security/encoding.js';
import { runTimedJobs } from '../../src/timed-jobs.js';
import { buildWorkerDeps } from '../../src/worker/deps.js';
import { parseWorkerEnv } from '../../src/worker/env.js';
import { adminOperations } from './admin.js';
import { buildRequest, DEFAULT_NOW, parseReply, UNLIMITED } from './http.js';
import { heldAfterAnswer } from './store-calls.js';
import { countedD1 } from './store-calls-d1.js';
import type { TestApp, TestAppOptions } from './types.js';

export const runtime = 'workers' as const;

const BASE = 'http://agendai.test';

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  let now = options.now ?? DEFAULT_NOW;
  // The Worker's own env validation, with fresh secrets as `wrangler secret put` would provide.
  const parsed = parseWorkerEnv({
    ...env,
    PHONE_HASH_KEY: toBase64Url(randomBytes(32)),
    PHONE_ENCRYPTION_KEY: toBase64Url(randomBytes(32)),
    ...(options.allowPrivateTargets ? { WEBHOOKS_ALLOW_PRIVATE_TARGETS: 'true' } : {}),
    ...(options.publicBaseUrl ? { PUBLIC_BASE_URL: options.publicBaseUrl } : {}),
    ...(options.adminToken ? { ADMIN_TOKEN: options.adminToken } : {}),
    ...Object.fromEntries(
      Object.entries(options.platformApiBaseUrls ?? {}).map(([p, url]) => [
        `${p.toUpperCase()}_API_BASE_URL`,
        url,
      ]),
    ),
  });
  const counting = options.countTrips && parsed.db ? countedD1(parsed.db) : undefined;
  const config = counting ? { ...parsed, db: counting.binding } : parsed;
  const deps = await buildWorkerDeps(config, {
    clock: { now: () => now },
    logger: options.logSink ? jsonLogger(options.logSink) : silentLogger,
    rateLimits: options.rateLimits ?? UNLIMITED,
    // Test files share the Durable Object namespace; each app counts on its own.
    rateLimitScope: `${crypto.randomUUID()}:`,
    sendMessagesAfterWrites: options.sendMessagesAfterWrites ?? false,
  });
  const later = heldAfterAnswer();
  if (counting) deps.afterAnswer = later.hold;
  const standIn = options.messageStandIn;
  if (standIn) {
    // No listening socket inside workerd: the Worker's own fetch clients call the stand-in in process.
    const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) =>
      standIn(new Request(input, init))) as typeof fetch;
    deps.messageProviders = {
      twilio: twilioRest('https://twilio.stand-in.test', fetcher),
      telnyx: telnyxRest('https://telnyx.stand-in.test', fetcher),
    };
  }
  const app = createApp(deps);
  const db = config.db!;

  return {
    async request(method, path, opts = {}) {
      const { url, init } = buildRequest(BASE, method, path, {
        ...opts,
        headers: { 'cf-connecting-ip': '127.0.0.1', ...opts.headers },
      });
      return parseReply(await app.fetch(new Request(url, init), env));
    },
    async fetch(url, init) {
      const request = new Request(url, init);
      if (!request.headers.has('cf-connecting-ip')) request.headers.set('cf-connecting-ip', '127.0.0.1');
      return app.fetch(request, env);
    },
    setNow: (ms) => {
      now = ms;
    },
    now: () => now,
    ...adminOperations(deps.store.db, () => now),
    sql: async (query, ...params) =>
      (
        await db
          .prepare(query)
          .bind(...params)
          .all()
      ).results,
    exec: async (statement) => {
      // One statement through prepare: D1's exec() splits its input at newlines.
      await db.prepare(statement).run();
    },
    runScheduledJobs: () => runTimedJobs(deps, now),
    trips: () => {
      if (!counting) throw new Error('start the app with countTrips');
      return counting.counter.trips;
    },
    runAfterAnswer: later.run,
    tripLog: () => counting?.counter.log ?? [],
    async close() {},
  };
}
