// The test harness on Workers (the clinic-objects project): every request goes through the
// Worker's router (src/worker/router.ts) to a clinic's own Durable Object, which runs the app on its
// SQLite storage; unknown keys and the operator's API go to the lobby. The HTTP suite (test/api)
// runs against it in the `clinic-objects` vitest project, unchanged.
//
// How it differs from production, and why:
// - Each test app has its own directory and lobby (named after a random scope), so test files do
//   not see each other's clinics; clinics' objects are unique anyway.
// - Objects are configured before each request reaches them (same isolate, runInDurableObject):
//   the test's clock, fresh secrets, limits and stand-ins.
// - Helpers that reach the database (sql, exec, the timed jobs) run in every object of the app and
//   combine the results: concatenated rows, and one sum for a lone `count(*)`; questions about the
//   schema (PRAGMA, pragma_* functions, sqlite_master) are asked of one object, since all share it;
//   a statement `exec` is told concerns one clinic runs only in that clinic's object.
import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import type { Grant } from '../../src/accounts/scopes.js';
import { jsonLogger, silentLogger } from '../../src/logger.js';
import { telnyxRest } from '../../src/messaging/providers/telnyx.js';
import { twilioRest } from '../../src/messaging/providers/twilio-rest.js';
import { randomBytes, toBase64Url } from '../../src/security/encoding.js';
import { runTimedJobs } from '../../src/timed-jobs.js';
import type { ClinicObject, ClinicObjectOptions } from '../../src/worker/clinic-object.js';
import { type CachedDirectory, cachedDirectory, directoryOf } from '../../src/worker/directory.js';
import { claimSlug } from '../../src/worker/provision.js';
import { type Routing, routeRequest } from '../../src/worker/router.js';
import { adminOperations } from './admin.js';
import { buildRequest, DEFAULT_NOW, parseReply, UNLIMITED } from './http.js';
import type { TestApp, TestAppOptions } from './types.js';

export const runtime = 'workers' as const;
export const storage = 'clinic-objects' as const;

const BASE = 'http://agendai.test';

type Stub = DurableObjectStub<ClinicObject>;

/** Sums two reports of the timed jobs field by field (numbers add, objects recurse). */
function addReports<T>(a: T, b: T): T {
  if (typeof a === 'number' && typeof b === 'number') return (a + b) as T;
  if (a && b && typeof a === 'object') {
    const out = { ...a } as Record<string, unknown>;
    for (const [k, v] of Object.entries(b)) out[k] = k in out ? addReports(out[k], v) : v;
    return out as T;
  }
  return b ?? a;
}

/** The harness's app, and what test/workers/clinic-objects.test.ts inspects of it. */
export interface ClinicObjectsApp extends TestApp {
  /** The router's directory, with its per-isolate cache (its `lookups` count what reached the directory). */
  directory: CachedDirectory;
  /** The object holding a tenant (a clinic or its sandbox), configured for this app. */
  objectOf(tenantId: string): Promise<DurableObjectStub<ClinicObject>>;
  /** The options every object of this app runs with (its directory's name, its clock…). */
  objectOptions: ClinicObjectOptions;
}

export const startTestApp = (options: TestAppOptions = {}): Promise<TestApp> =>
  startClinicObjectsApp(options);

export async function startClinicObjectsApp(options: TestAppOptions = {}): Promise<ClinicObjectsApp> {
  let now = options.now ?? DEFAULT_NOW;
  const scope = crypto.randomUUID();
  const standIn = options.messageStandIn;
  const fetcher =
    standIn &&
    ((async (input: RequestInfo | URL, init?: RequestInit) =>
      standIn(new Request(input, init))) as typeof fetch);
  const objectOptions: ClinicObjectOptions = {
    env: {
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
    },
    clock: { now: () => now },
    logger: options.logSink ? jsonLogger(options.logSink) : silentLogger,
    rateLimits: options.rateLimits ?? UNLIMITED,
    rateLimitScope: `${scope}:`,
    sendMessagesAfterWrites: options.sendMessagesAfterWrites ?? false,
    directoryName: `directory:${scope}`,
    ...(fetcher && {
      messageProviders: {
        twilio: twilioRest('https://twilio.stand-in.test', fetcher),
        telnyx: telnyxRest('https://telnyx.stand-in.test', fetcher),
      },
    }),
  };
  const clinics = env.CLINICS;
  const directory = cachedDirectory(directoryOf(env.DIRECTORY, objectOptions.directoryName));
  const lobbyId = clinics.idFromName(`lobby:${scope}`);

  /** The object, configured with this app's options (again, if it was evicted meanwhile). */
  async function configured(id: DurableObjectId): Promise<Stub> {
    const stub = clinics.get(id);
    await runInDurableObject(stub, (o: ClinicObject) => {
      if (!o.usesOptions(objectOptions)) o.configure(objectOptions);
    });
    return stub;
  }

  const routing: Routing = {
    directory,
    clinic: (id) => configured(clinics.idFromString(id)),
    lobby: () => configured(lobbyId),
  };

  /** Every clinic object of this app (from its directory), then the lobby. */
  async function objects(): Promise<Stub[]> {
    const ids: DurableObjectId[] = [];
    for (let after: { at: number; ref: string } | undefined; ; ) {
      const page = await directory.page(100, after);
      ids.push(...page.map((e) => clinics.idFromString(e.objectId)));
      const last = page.at(-1);
      if (page.length < 100 || !last) break;
      after = { at: last.createdAt, ref: last.ref };
    }
    return Promise.all([...ids, lobbyId].map(configured));
  }

  const inObject = <R>(stub: Stub, work: (o: ClinicObject) => R | Promise<R>) =>
    runInDurableObject(stub, (o: ClinicObject) => work(o));

  /** The object holding tenant `id` (a clinic or its sandbox). */
  async function holding(tenantId: string): Promise<Stub> {
    const entry = await directory.resolve('tenant', tenantId);
    if (entry) return configured(clinics.idFromString(entry.objectId));
    for (const stub of await objects()) {
      const rows = await inObject(stub, (o) => o.store.raw('SELECT 1 FROM tenants WHERE id = ?', tenantId));
      if (rows.length) return stub;
    }
    throw new Error(`No object holds tenant ${tenantId}`);
  }

  const send = (request: Request) => {
    if (!request.headers.has('cf-connecting-ip')) request.headers.set('cf-connecting-ip', '127.0.0.1');
    return routeRequest(request, routing);
  };

  let clinicCount = 0;
  // Inside a clinic's object there is no network between the app and its data: trips are counted on
  // the driver that has them (test/node/round-trips.test.ts, on Node).
  const uncounted = () => {
    throw new Error('clinic objects count no storage round trips');
  };
  return {
    directory,
    objectOf: holding,
    trips: uncounted,
    tripLog: uncounted,
    runAfterAnswer: async () => {},
    objectOptions,
    async request(method, path, opts = {}) {
      const { url, init } = buildRequest(BASE, method, path, opts);
      return parseReply(await send(new Request(url, init)));
    },
    fetch: (url, init) => send(new Request(url, init)),
    setNow: (ms) => {
      now = ms;
    },
    now: () => now,
    async createClinic(o = {}) {
      const id = clinics.newUniqueId();
      const stub = await configured(id);
      const name = o.name ?? `Clínica ${++clinicCount}`;
      const made = await inObject(stub, async (obj) =>
        adminOperations(obj.store.db, () => now).createClinic({ ...o, name }),
      );
      const clinic = await stub.clinic();
      if (!clinic) throw new Error('The clinic object holds no clinic');
      await directory.addClinic({ ...clinic, objectId: id.toString() });
      // Its slug in the directory, as the lobby's provisioning claims it (the next free one when another clinic has it).
      const [row] = await inObject(stub, (obj) =>
        obj.store.raw('SELECT public_slug AS slug FROM tenants WHERE id = ?', clinic.tenantId),
      );
      const slug = row?.slug as string | null;
      if (slug) await claimSlug(directory, stub, clinic.ref, slug);
      return made;
    },
    async createKey(tenantId, scopes: Grant[], o = {}) {
      return inObject(await holding(tenantId), (obj) =>
        adminOperations(obj.store.db, () => now).createKey(tenantId, scopes, o),
      );
    },
    async revokeKey(keyId) {
      for (const stub of await objects()) {
        const held = await inObject(stub, (o) => o.store.raw('SELECT 1 FROM api_keys WHERE id = ?', keyId));
        if (held.length) {
          await inObject(stub, (o) => adminOperations(o.store.db, () => now).revokeKey(keyId));
          return;
        }
      }
      throw new Error(`No object holds key ${keyId}`);
    },
    async setTenantStatus(tenantId, status) {
      await inObject(await holding(tenantId), (o) =>
        adminOperations(o.store.db, () => now).setTenantStatus(tenantId, status),
      );
    },
    async sql(query, ...params) {
      // Every object has the same schema: a question about it is asked of one.
      if (/^\s*PRAGMA\b|\bpragma_\w+\s*\(|\bsqlite_master\b/i.test(query)) {
        return inObject(await configured(lobbyId), (o) => o.store.raw(query, ...params));
      }
      const results = await Promise.all(
        (await objects()).map((stub) => inObject(stub, (o) => o.store.raw(query, ...params))),
      );
      const rows = results.flat();
      // A lone count(*) asked of every object is one count.
      const count = /^\s*SELECT\s+count\(\*\)\s+AS\s+(\w+)\s+FROM\b/i.exec(query)?.[1];
      if (count && !/\bGROUP BY\b/i.test(query) && results.every((r) => r.length === 1)) {
        return [{ [count]: rows.reduce((n, r) => n + Number(r[count]), 0) }];
      }
      return rows;
    },
    async exec(statement, tenantId) {
      const where = tenantId ? [await holding(tenantId)] : await objects();
      for (const stub of where) await inObject(stub, (o) => o.store.raw(statement));
    },
    async runScheduledJobs() {
      let report: Awaited<ReturnType<typeof runTimedJobs>> | undefined;
      for (const stub of await objects()) {
        const one = await inObject(stub, async (o) => runTimedJobs(await o.deps(), now));
        report = report ? addReports(report, one) : one;
      }
      return report!;
    },
    async close() {},
  };
}
