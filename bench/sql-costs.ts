// `npx tsx bench/sql-costs.ts [--only book] [--warm 300] [--calls 200]`: what each SQL statement costs
// per request of a voice scenario, in process. The service runs here on a seeded database; every
// better-sqlite3 statement is timed (by its SQL text) and its returned rows counted. A warm-up first
// gives the callers the long histories a real run builds, then the measured requests run one at a time.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { rehashLegacyPhoneHashes } from '../src/accounts/phone-rehash.js';
import { purgeExpiredIdempotencyKeys } from '../src/booking/idempotency-purge.js';
import { detectNoShows } from '../src/booking/no-show.js';
import { applyRetention } from '../src/booking/retention.js';
import { parseSecrets } from '../src/config.js';
import type { AppDeps } from '../src/deps.js';
import { silentLogger } from '../src/logger.js';
import { queueReminders } from '../src/messaging/reminders.js';
import { sendDueMessages } from '../src/messaging/send.js';
import { startNodeService } from '../src/node/server.js';
import { deliverWebhooks } from '../src/webhooks/delivery.js';
import { secretsEnv } from '../test/support/service-process.js';
import { type BenchContext, type OpenApiDocument, SCENARIOS } from './scenarios.js';
import { seedDatabase } from './seed.js';

const timedJobs: Record<string, (deps: AppDeps, now: number) => Promise<unknown>> = {
  detectNoShows,
  purgeExpiredIdempotencyKeys,
  applyRetention,
  deliverWebhooks,
  queueReminders,
  sendDueMessages: (deps, now) => sendDueMessages(deps, now),
  rehashLegacyPhoneHashes: (deps) => rehashLegacyPhoneHashes(deps),
};

const { values: args } = parseArgs({
  options: {
    only: { type: 'string', default: 'book' },
    appointments: { type: 'string', default: '20000' },
    warm: { type: 'string', default: '300' },
    calls: { type: 'string', default: '200' },
    explain: { type: 'boolean', default: false },
    // Also time one run of the timed jobs at the end (the Node timer runs them every minute in the service).
    timed: { type: 'boolean', default: false },
  },
});

interface Cost {
  calls: number;
  ms: number;
  rows: number;
}
const costs = new Map<string, Cost>();
let counting = false;

// Every statement of the process goes through these prototype methods (drizzle's `values` is raw().all()).
const probe = new Database(':memory:');
const statementProto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<string, unknown>;
probe.close();
for (const method of ['all', 'get', 'run', 'iterate'] as const) {
  const original = statementProto[method] as (...a: unknown[]) => unknown;
  statementProto[method] = function (this: { source: string }, ...params: unknown[]) {
    if (!counting) return original.apply(this, params);
    const started = performance.now();
    const result = original.apply(this, params);
    const ms = performance.now() - started;
    const cost = costs.get(this.source) ?? { calls: 0, ms: 0, rows: 0 };
    cost.calls++;
    cost.ms += ms;
    cost.rows += Array.isArray(result) ? result.length : result === undefined ? 0 : 1;
    costs.set(this.source, cost);
    return result;
  };
}

const dir = mkdtempSync(join(tmpdir(), 'agendai-sqlcost-'));
const secrets = secretsEnv();
const seeded = await seedDatabase(join(dir, 'bench.db'), {
  appointments: Number(args.appointments),
  professionals: 10,
  services: 5,
  secrets,
  now: Date.now(),
});
const service = await startNodeService({
  databasePath: join(dir, 'bench.db'),
  secrets: parseSecrets(secrets),
  logger: silentLogger,
  port: 0,
  schedulerIntervalMs: 0,
  // As in `npm run bench`: no limit stops a long measured run.
  rateLimits: { perKeyPerMinute: 1e9, perKeyPerSecond: 1e9, perIpPerMinute: 1e9 },
});
try {
  const doc = (await (await fetch(`${service.url}/openapi.json`)).json()) as OpenApiDocument;
  const ctx: BenchContext = {
    url: service.url,
    seeded,
    doc,
    runId: Date.now().toString(36),
    headers: { authorization: `Bearer ${seeded.apiKey}` },
  };
  const scenario = SCENARIOS.find((s) => s.name.includes(args.only));
  if (!scenario) throw new Error(`no scenario ${args.only}`);
  const load = await scenario.prepare(ctx);
  const send = async () => {
    const request = load.request.setupRequest
      ? load.request.setupRequest(load.request as never)
      : load.request;
    const answer = await fetch(`${service.url}${request.path}`, {
      method: request.method,
      headers: request.headers as Record<string, string>,
      body: request.body as string,
    });
    await answer.text();
    if (answer.status !== load.expectStatus) throw new Error(`status ${answer.status}`);
  };
  for (let i = 0; i < Number(args.warm); i++) await send();
  counting = true;
  const calls = Number(args.calls);
  const started = performance.now();
  for (let i = 0; i < calls; i++) await send();
  const wall = performance.now() - started;
  counting = false;
  const rows = [...costs.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const total = rows.reduce((sum, [, c]) => sum + c.ms, 0);
  console.log(
    `${scenario.name}: ${calls} requests, ${(wall / calls).toFixed(2)} ms each, SQL ${(total / calls).toFixed(3)} ms each`,
  );
  console.log('ms/req  calls/req  rows/req  sql');
  for (const [sql, c] of rows.slice(0, 30)) {
    const line = `${(c.ms / calls).toFixed(3).padStart(6)}  ${(c.calls / calls).toFixed(2).padStart(9)}  ${(c.rows / calls).toFixed(1).padStart(8)}  ${sql.replace(/\s+/g, ' ').slice(0, 260)}`;
    console.log(line);
    if (args.explain && /^\s*select/i.test(sql)) {
      const params = sql.split('?').length - 1;
      const plan = service.deps.store.sqlite
        .prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .all(...Array.from({ length: params }, () => null)) as { detail: string }[];
      for (const p of plan) console.log(`          plan: ${p.detail}`);
    }
  }
  if (args.timed) {
    for (const job of Object.keys(timedJobs)) {
      const started = performance.now();
      await timedJobs[job]!(service.deps, Date.now());
      console.log(`timed job ${job}: ${(performance.now() - started).toFixed(1)} ms`);
    }
  }
  for (const table of ['messages', 'webhook_deliveries', 'call_events', 'calls']) {
    const counted = service.deps.store.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as {
      n: number;
    };
    console.log(`${table}: ${counted.n} rows`);
  }
} finally {
  await service.close();
  rmSync(dir, { recursive: true, force: true });
}
