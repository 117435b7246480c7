// The phone re-hash job moves hashes stored under the old shared key to the clinic's own key: in
// small batches, resumable from where a run stopped, and safe when runners race (each with its own
// database connection, as two processes or a cron and a timer would be). Once a clinic is done, its
// lookups compute one hash per key. Node only: the test needs to know the hash key to forge legacy rows.
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rehashLegacyPhoneHashes } from '../../src/accounts/phone-rehash.js';
import { toTenant } from '../../src/accounts/tenants.js';
import { openSqliteStore } from '../../src/db/sqlite.js';
import { findTenant } from '../../src/db/tenants.js';
import type { AppDeps } from '../../src/deps.js';
import { silentLogger } from '../../src/logger.js';
import { type NodeService, startNodeService } from '../../src/node/server.js';
import { randomBytes, toBase64Url } from '../../src/security/encoding.js';
import { runTimedJobs } from '../../src/timed-jobs.js';
import { adminOperations } from '../support/admin.js';
import { appointmentBody, createProfessional, createService } from '../support/factories.js';
import { buildRequest, DEFAULT_NOW, parseReply, UNLIMITED } from '../support/http.js';
import type { Clinic, TestApp } from '../support/types.js';

const HASH_KEY = randomBytes(32);
const VAPI_SECRET = 'rehash-vapi-secret-0123456789abcdefghij';
const dir = mkdtempSync(join(tmpdir(), 'agendai-rehash-'));
const databasePath = join(dir, 'test.db');
let service: NodeService;
let app: TestApp;

const legacyHash = (phone: string) => `v1:${createHmac('sha256', HASH_KEY).update(phone).digest('hex')}`;
const phoneOf = (i: number) => `+3519120${String(10000 + i).slice(-5)}`;
let nextPhoneIndex = 0;

beforeAll(async () => {
  service = await startNodeService({
    databasePath,
    secrets: {
      PHONE_HASH_KEY: { version: 1, secret: toBase64Url(HASH_KEY) },
      PHONE_ENCRYPTION_KEY: { version: 1, secret: toBase64Url(randomBytes(32)) },
    },
    logger: silentLogger,
    clock: { now: () => DEFAULT_NOW },
    port: 0,
    schedulerIntervalMs: 0,
    rateLimits: UNLIMITED,
  });
  app = {
    ...adminOperations(service.deps.store.db, () => DEFAULT_NOW),
    async request(method, path, opts = {}) {
      const { url, init } = buildRequest(service.url, method, path, opts);
      return parseReply(await fetch(url, init));
    },
  } as TestApp;
});
afterAll(async () => {
  await service.close();
  rmSync(dir, { recursive: true, force: true });
});

const sql = (query: string, ...params: unknown[]) =>
  service.deps.store.sqlite.prepare(query).all(...params) as Record<string, unknown>[];
const run = (query: string, ...params: unknown[]) => service.deps.store.sqlite.prepare(query).run(...params);

/**
 * A clinic as it was before per-clinic keys: `count` appointments (one phone each) and a call from
 * the first phone, all under the legacy shared hash, plus a call whose sealed number retention
 * dropped. Returns each phone's per-clinic hash as the API gave it at booking.
 */
async function legacyClinic(count: number) {
  const clinic = await app.createClinic();
  const ids = {
    professional: await createProfessional(app, clinic),
    service: await createService(app, clinic),
  };
  const booked: { id: string; phone: string; hash: string }[] = [];
  for (let i = 0; i < count; i++) {
    const phone = phoneOf(nextPhoneIndex++);
    const startsAt = new Date(Date.parse('2026-03-03T08:00:00Z') + i * 30 * 60_000).toISOString();
    const reply = await app.request('POST', '/v1/appointments', {
      key: clinic.key,
      body: appointmentBody(ids, startsAt, { patientPhone: phone }),
    });
    expect(reply.status, reply.text).toBe(201);
    booked.push({ id: reply.body.id, phone, hash: reply.body.patientPhoneHash });
  }
  const integration = await app.request('POST', '/v1/voice/integrations', {
    key: clinic.key,
    body: { platform: 'vapi', credentials: { secret: VAPI_SECRET } },
  });
  const path = new URL(integration.body.webhookUrl).pathname;
  for (const callId of ['sealed-call', 'expired-call']) {
    const reply = await app.request('POST', path, {
      headers: { 'x-vapi-secret': VAPI_SECRET },
      body: {
        message: {
          type: 'status-update',
          status: 'in-progress',
          call: { id: callId, customer: { number: booked[0]!.phone } },
        },
      },
    });
    expect(reply.status, reply.text).toBe(200);
  }
  for (const b of booked)
    run('UPDATE appointments SET patient_phone_hash = ? WHERE id = ?', legacyHash(b.phone), b.id);
  run(
    'UPDATE calls SET from_number_hash = ? WHERE tenant_id = ?',
    legacyHash(booked[0]!.phone),
    clinic.tenantId,
  );
  run(
    "UPDATE calls SET from_number_encrypted = NULL WHERE tenant_id = ? AND external_call_id = 'expired-call'",
    clinic.tenantId,
  );
  run('UPDATE tenants SET legacy_phone_hashes = 1 WHERE id = ?', clinic.tenantId);
  return { clinic, booked };
}

const storedHashes = (clinic: Clinic) =>
  Object.fromEntries(
    sql('SELECT id, patient_phone_hash AS hash FROM appointments WHERE tenant_id = ?', clinic.tenantId).map(
      (r) => [r.id, r.hash],
    ),
  );
const callHashes = (clinic: Clinic) =>
  sql(
    'SELECT from_number_hash AS hash FROM calls WHERE tenant_id = ? ORDER BY external_call_id',
    clinic.tenantId,
  ).map((r) => r.hash);
const flags = (clinic: Clinic) =>
  sql(
    'SELECT legacy_phone_hashes AS legacy, phone_rehash_cursor AS cursor FROM tenants WHERE id = ?',
    clinic.tenantId,
  )[0]!;
const foundByPhone = async (clinic: Clinic, phone: string) =>
  (
    await app.request('GET', '/v1/appointments', { key: clinic.key, query: { patientPhone: phone } })
  ).body.items.map((i: { id: string }) => i.id);

describe('re-hashing legacy phone hashes to per-clinic keys', () => {
  it('goes in small resumable batches; lookups keep working throughout and compute one hash after', async () => {
    const { clinic, booked } = await legacyClinic(12);
    const expected = Object.fromEntries(booked.map((b) => [b.id, b.hash]));
    const deps = service.deps;
    const scope = async () => toTenant((await findTenant(deps.store.db, clinic.tenantId))!);
    expect(await deps.vault.lookupHashes(booked[0]!.phone, await scope())).toHaveLength(2);

    // 5 rows a run: the first run leaves the clinic midway, with a cursor; a phone is still found.
    const first = await rehashLegacyPhoneHashes(deps, 5, 5);
    expect(first.rehashed).toBe(5);
    expect(flags(clinic)).toMatchObject({ legacy: 1, cursor: expect.stringMatching(/^appointments:/) });
    const midway = Object.values(storedHashes(clinic));
    expect(midway.filter((h) => Object.values(expected).includes(h as string))).toHaveLength(5);
    for (const b of booked) expect(await foundByPhone(clinic, b.phone)).toEqual([b.id]);

    // The runs resume where the last one stopped, until the clinic is done.
    let runs = 1;
    while (flags(clinic).legacy === 1 && runs < 20) {
      await rehashLegacyPhoneHashes(deps, 5, 5);
      runs++;
    }
    expect(flags(clinic)).toEqual({ legacy: 0, cursor: null });
    expect(runs).toBeGreaterThanOrEqual(3);
    expect(storedHashes(clinic)).toEqual(expected);
    // The sealed call moved by its own number; the expired one followed the same number's hash.
    expect(callHashes(clinic)).toEqual([booked[0]!.hash, booked[0]!.hash]);

    expect(await deps.vault.lookupHashes(booked[0]!.phone, await scope())).toEqual([booked[0]!.hash]);
    for (const b of booked) expect(await foundByPhone(clinic, b.phone)).toEqual([b.id]);
    // Done means done: another run finds nothing to do for this clinic.
    expect((await rehashLegacyPhoneHashes(deps)).rehashed).toBe(0);
  });

  it('runs from the timed jobs', async () => {
    const { clinic, booked } = await legacyClinic(3);
    const report = await runTimedJobs(service.deps, DEFAULT_NOW);
    expect(report.phoneRehash.rehashed).toBeGreaterThanOrEqual(3);
    expect(flags(clinic)).toEqual({ legacy: 0, cursor: null });
    expect(Object.values(storedHashes(clinic)).sort()).toEqual(booked.map((b) => b.hash).sort());
  });

  it('racing runners on their own connections never corrupt a row, even a runner paused mid-batch', async () => {
    const { clinic, booked } = await legacyClinic(10);
    const connections = [
      openSqliteStore(databasePath),
      openSqliteStore(databasePath),
      openSqliteStore(databasePath),
    ];
    try {
      const runner = (i: number, vault = service.deps.vault): AppDeps => ({
        ...service.deps,
        store: connections[i]!,
        vault,
      });
      // Runner 0 reads its first batch, then stalls before writing it (a slow or descheduled process).
      let release!: () => void;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      let stalled!: () => void;
      const reading = new Promise<void>((resolve) => {
        stalled = resolve;
      });
      const slowVault = {
        ...service.deps.vault,
        async decrypt(sealed: string, context: string) {
          stalled();
          await gate;
          return service.deps.vault.decrypt(sealed, context);
        },
      };
      const slow = rehashLegacyPhoneHashes(runner(0, slowVault), 100, 4);
      await reading;
      // Meanwhile two runners race each other through the whole clinic, batch by batch.
      const [a, b] = await Promise.all([
        rehashLegacyPhoneHashes(runner(1), 100, 3),
        rehashLegacyPhoneHashes(runner(2), 100, 3),
      ]);
      // Each row rewritten exactly once between them: 10 appointments and the call that kept its number.
      expect(a.rehashed + b.rehashed).toBe(11);
      expect(flags(clinic)).toEqual({ legacy: 0, cursor: null });
      // A patient is erased now: their row holds a mark the stalled runner must not overwrite.
      const erased = booked[1]!;
      const erase = await app.request('POST', `/v1/patients/${encodeURIComponent(erased.hash)}/erase`, {
        key: clinic.key,
      });
      expect(erase.status, erase.text).toBe(200);
      const afterErasure = storedHashes(clinic);
      expect(afterErasure[erased.id]).toMatch(/^erased:/);

      release();
      const late = await slow;
      expect(late.rehashed).toBe(0);
      expect(storedHashes(clinic)).toEqual(afterErasure);
      expect(flags(clinic)).toEqual({ legacy: 0, cursor: null });
      for (const b of booked.filter((x) => x !== erased)) {
        expect(afterErasure[b.id]).toBe(b.hash);
        expect(await foundByPhone(clinic, b.phone)).toEqual([b.id]);
      }
    } finally {
      for (const c of connections) c.close();
    }
  });
});
