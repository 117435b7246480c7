// One clinic, one Durable Object. The clinic's data lives in the object's
// SQLite and its requests run inside the object: the Worker forwards each request here (one hop)
// and the whole app runs next to the data, so a voice booking's dozen statements cost no network
// round trip. The object runs one atomic unit at a time (`transactionSync`), which serialises
// concurrent requests for the clinic exactly where better-sqlite3 does on Node.
//
// Timed work runs on the object's alarm, set after every write and every run to the earliest due
// work (a no-show, a webhook retry, a message, a reminder to queue) or the next housekeeping.
// Migrations are applied when the object wakes, before anything else runs.
//
// The same class also serves as the lobbies (`lobby:0`…, by the caller's address): requests the router cannot
// place (no key or an unknown one, the public pages without a clinic, the operator's API) run the
// same app there over an empty store, so every refusal is the app's own envelope and throttling.
import { DurableObject } from 'cloudflare:workers';
import {
  ADMIN_SCOPE,
  type NewClinic,
  type Provisioning,
  storeProvisioning,
} from '../accounts/provisioning.js';
import { clinicCreatedAnswer } from '../api/admin.js';
import { type App, createApp } from '../app.js';
import { IDEMPOTENCY_RETENTION_MS, type IdempotencyRequest } from '../booking/command.js';
import { type DurableStore, openDurableStore } from '../db/durable.js';
import { findFreshKey } from '../db/idempotency.js';
import { liveTenantsPage } from '../db/provisioning.js';
import { updateTenant } from '../db/tenants.js';
import type { AppDeps, RouteName } from '../deps.js';
import type { Clock } from '../domain/clock.js';
import { AppError, errorMessage } from '../domain/errors.js';
import type { RateLimiter } from '../domain/rate-limit.js';
import { memoryRateLimiter } from '../http/memory-rate-limiter.js';
import { jsonLogger, type Logger } from '../logger.js';
import { changedAnything, nextTimedRun, runTimedJobs } from '../timed-jobs.js';
import { buildWorkerDeps } from './deps.js';
import { type Directory, directoryOf } from './directory.js';
import { parseWorkerEnv } from './env.js';
import { directoryProvisioning, type Outcome, settle } from './provision.js';

/** What a test changes in an object before its first request (same isolate, runInDurableObject). */
export interface ClinicObjectOptions {
  /** Added over the Worker's env (fresh secrets, ADMIN_TOKEN, limits…). */
  env?: Record<string, unknown>;
  clock?: Clock;
  logger?: Logger;
  rateLimits?: AppDeps['rateLimits'];
  rateLimitScope?: string;
  messageProviders?: AppDeps['messageProviders'];
  sendMessagesAfterWrites?: boolean;
  /** The directory object's name (tests keep one each). */
  directoryName?: string;
}

/** The clinic an object holds: the reference in its keys, its tenant id, when it was made. */
export interface ClinicIdentity {
  ref: string;
  tenantId: string;
  createdAt: number;
}

export type ProvisionCall =
  | { method: 'getClinic'; args: Parameters<Provisioning['getClinic']> }
  | { method: 'setStatus'; args: Parameters<Provisioning['setStatus']> }
  | { method: 'createKey'; args: Parameters<Provisioning['createKey']> }
  | { method: 'listKeys'; args: Parameters<Provisioning['listKeys']> }
  | { method: 'revokeKey'; args: Parameters<Provisioning['revokeKey']> };

interface Service {
  deps: AppDeps;
  app: App;
}

export class ClinicObject extends DurableObject<Record<string, unknown>> {
  /** Opened (and migrated) in the constructor, before the object serves anything. */
  store!: DurableStore;
  private options: ClinicObjectOptions = {};
  private service?: Promise<Service>;
  private identity?: ClinicIdentity;
  /** Timed runs that threw in a row (their retries back off); in memory, an evicted object starts over. */
  private failedRuns = 0;

  constructor(ctx: DurableObjectState, env: Record<string, unknown>) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      this.store = await openDurableStore(ctx.storage);
    });
  }

  /** Test hook: replaces parts of the object's dependencies; takes effect on the next request. */
  configure(options: ClinicObjectOptions) {
    this.options = options;
    this.service = undefined;
  }

  /** Whether `options` are the ones in use (an evicted object starts without them). */
  usesOptions(options: ClinicObjectOptions) {
    return this.options === options;
  }

  /** The object's dependencies (tests reach the store and the timed jobs through them). */
  deps(): Promise<AppDeps> {
    return this.serviceOf().then((s) => s.deps);
  }

  override async fetch(request: Request): Promise<Response> {
    const { app, deps } = await this.serviceOf();
    const response = await app.fetch(request, this.env, {
      waitUntil: (promise: Promise<unknown>) => this.ctx.waitUntil(promise),
      passThroughOnException() {},
      props: {},
    });
    // The write is committed and answered: failing to move the alarm must not turn it into a 500
    // (a retry would meet its Idempotency-Key's replay, or book twice without one). The alarm set
    // before still fires, and its run sets the next one from what is due then. While runs are
    // failing, the backed-off alarm stands: a busy clinic's writes would otherwise retry the failing
    // run once per write (what they queue is sent by their own kick meanwhile).
    if (request.method !== 'GET' && response.status < 300 && this.failedRuns === 0) {
      await this.scheduleTimedWork(deps, true).catch((error) =>
        deps.logger.error('alarm_not_moved', { error: errorMessage(error) }),
      );
    }
    return response;
  }

  override async alarm() {
    let deps: AppDeps | undefined;
    try {
      deps = (await this.serviceOf()).deps;
      const report = await runTimedJobs(deps, deps.clock.now());
      if (changedAnything(report)) deps.logger.info('timed_jobs', { ...report });
      this.failedRuns = 0;
    } catch (error) {
      this.failedRuns++;
      (deps?.logger ?? jsonLogger()).error('timed_jobs_failed', {
        error: errorMessage(error),
        failedRuns: this.failedRuns,
      });
    }
    // Whatever the run did, the clinic's timed work keeps an alarm: a run that threw is not rethrown
    // (the platform would retry a few times, then never again) but tried later, later each time it
    // fails again, so a stuck row neither stops the clinic's no-shows and messages for good nor spins
    // the object.
    const retry = () => this.ctx.storage.setAlarm(Date.now() + retryDelay(this.failedRuns));
    if (this.failedRuns > 0 || !deps) return retry();
    await this.scheduleTimedWork(deps, false).catch((error) => {
      deps.logger.error('alarm_not_set', { error: errorMessage(error) });
      return retry();
    });
  }

  /** The clinic this object holds, or null (a fresh object, the lobby). */
  async clinic(): Promise<ClinicIdentity | null> {
    if (this.identity) return this.identity;
    const [row] = await liveTenantsPage(this.store.db, 1);
    if (!row?.clinicRef) return null;
    this.identity = { ref: row.clinicRef, tenantId: row.id, createdAt: row.createdAt };
    return this.identity;
  }

  /**
   * Makes this object's clinic (the lobby's provisioning calls it once per new object). `now` is the
   * caller's: provisioning needs only the store and the time, not the object's service.
   */
  async createClinic(
    input: NewClinic,
    now: number,
    idempotency?: IdempotencyRequest,
  ): Promise<Outcome<unknown>> {
    return settle(async () => {
      const held = await this.clinic();
      // One clinic per object: an expired Idempotency-Key sent again must not make a second one here.
      const fresh =
        idempotency &&
        (await findFreshKey(
          this.store.db,
          { tenantId: ADMIN_SCOPE, key: idempotency.key },
          now - IDEMPOTENCY_RETENTION_MS,
        ));
      if (held && !fresh) {
        throw new AppError(
          'idempotency_key_reused',
          'This Idempotency-Key made a clinic already; use a new one',
        );
      }
      return this.provisioningAt(now).createClinic(
        input,
        idempotency ? { idempotency, answer: clinicCreatedAnswer } : {},
      );
    });
  }

  /** One of Provisioning's per-clinic operations on this object's clinic, at the caller's `now`. */
  async provision(call: ProvisionCall, now: number): Promise<Outcome<unknown>> {
    return settle(async () => {
      const own = this.provisioningAt(now) as unknown as Record<
        string,
        (...args: unknown[]) => Promise<unknown>
      >;
      return own[call.method]!(...call.args);
    });
  }

  private provisioningAt(now: number) {
    return storeProvisioning({ store: this.store, clock: { now: () => now } });
  }

  private serviceOf(): Promise<Service> {
    if (!this.service) {
      const service = this.build();
      service.catch(() => {
        if (this.service === service) this.service = undefined;
      });
      this.service = service;
    }
    return this.service;
  }

  private async build(): Promise<Service> {
    const o = this.options;
    const config = parseWorkerEnv({ ...this.env, ...o.env });
    const logger = o.logger ?? jsonLogger();
    const shared = await buildWorkerDeps(config, {
      store: this.store,
      clock: o.clock,
      logger,
      rateLimits: o.rateLimits,
      rateLimitScope: o.rateLimitScope,
      sendMessagesAfterWrites: o.sendMessagesAfterWrites,
    });
    const directory = directoryOf(config.directory, o.directoryName);
    const deps: AppDeps = {
      ...shared,
      rateLimiter: countedHere(shared.rateLimiter),
      ...(o.messageProviders && { messageProviders: o.messageProviders }),
      provisioning: directoryProvisioning({
        clinics: config.clinics,
        directory,
        placement: config.placement,
        clock: shared.clock,
      }),
      announce: (kind, id) => this.announce(directory, kind, id),
      release: async (kind, name) => {
        const clinic = await this.clinic();
        if (clinic) await directory.release(kind, name, clinic.ref);
      },
    };
    return { deps, app: createApp(deps) };
  }

  /** Claims `name` (an integration, a sender, a public slug) for this clinic in the directory. */
  private async announce(directory: Directory, kind: RouteName, name: string): Promise<boolean> {
    const clinic = await this.clinic();
    if (!clinic) return false;
    return (await directory.claim(kind, name, clinic.ref)) === clinic.ref;
  }

  /** Sets the clinic's slug to the one the directory gave it (its first choice was another clinic's). */
  async useSlug(slug: string | null): Promise<void> {
    const clinic = await this.clinic();
    if (clinic) await updateTenant(this.store.db, clinic.tenantId, { publicSlug: slug });
  }

  /**
   * Sets the alarm to the earliest due work. After a write the alarm only moves earlier (a write can
   * only add work); after a run it is set afresh. The delay is taken from the app's clock, so a test
   * clock cannot set an alarm in the past.
   */
  private async scheduleTimedWork(deps: AppDeps, onlyEarlier: boolean) {
    const now = deps.clock.now();
    const at = Date.now() + ((await nextTimedRun(deps, now)) - now);
    const current = onlyEarlier ? await this.ctx.storage.getAlarm() : null;
    if (current === null || at < current) await this.ctx.storage.setAlarm(at);
  }
}

/** A failed timed run is tried again after 30 s, doubling with each failure in a row, at most 15 min. */
export const retryDelay = (failedRuns: number) =>
  Math.min(15 * 60_000, 30_000 * 2 ** Math.max(0, failedRuns - 1));

/**
 * What an object counts in its own memory, with no round trip: per-key limits, and failed
 * authentications. Every request of a clinic's keys, integrations and senders arrives at this one
 * object (the key carries the clinic's reference, the path the integration's or sender's id), so
 * its memory sees them all; an address's lobby sees every request of that address naming no clinic. A failed
 * key from an address is therefore counted per clinic: guessing against several clinics gets the
 * budget once per clinic, still nowhere near the 162 random bits of a key.
 *
 * Per-address limits on the public routes (`ip:`, `booking-ip:`: the booking page, the patient's
 * pages, recordings, documentation) stay with the shared rate-limiter objects, since one address
 * spreads its requests over every clinic: one hop to a limiter object per such request (a few ms in
 * the same location, up to a continent's round trip when the limiter object lives elsewhere).
 *
 * An evicted object (idle for seconds) forgets its counts; limits are about bursts, which keep it
 * awake.
 */
function countedHere(shared: RateLimiter): RateLimiter {
  const local = memoryRateLimiter();
  return {
    consume: (subject, rules, now, record) =>
      (OWN_SUBJECTS.test(subject) ? local : shared).consume(subject, rules, now, record),
  };
}

/** Subjects one object sees all of: an API key's requests, failed authentications. */
const OWN_SUBJECTS = /^(key|auth-fail):/;
