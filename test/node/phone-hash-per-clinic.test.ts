// A patient's phone hash is keyed per clinic: the same number books in two clinics with unrelated
// hashes (no linking patients across clinics), and an appointment stored before per-clinic keys, with
// the old shared hash, is still found by its phone. Node only: the test needs to know the hash key.
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { type NodeService, startNodeService } from '../../src/node/server.js';
import { randomBytes, toBase64Url } from '../../src/security/encoding.js';
import { adminOperations } from '../support/admin.js';
import { createProfessional, createService } from '../support/factories.js';
import { buildRequest, DEFAULT_NOW, parseReply, UNLIMITED } from '../support/http.js';
import type { Clinic, TestApp } from '../support/types.js';

const HASH_KEY = randomBytes(32);
const PHONE = '+351912345678';
const dir = mkdtempSync(join(tmpdir(), 'agendai-phone-hash-'));
let service: NodeService;
let app: TestApp;

beforeAll(async () => {
  service = await startNodeService({
    databasePath: join(dir, 'test.db'),
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

async function bookIn(clinic: Clinic, startsAt: string) {
  const professional = await createProfessional(app, clinic);
  const serviceType = await createService(app, clinic);
  const reply = await app.request('POST', '/v1/appointments', {
    key: clinic.key,
    body: {
      professionalId: professional.id,
      serviceTypeId: serviceType.id,
      patientName: 'Maria Silva',
      patientPhone: PHONE,
      startsAt,
    },
  });
  expect(reply.status, reply.text).toBe(201);
  return reply.body as { id: string; patientPhoneHash: string };
}

describe('phone hashes per clinic', () => {
  it('the same number has a different hash in each clinic, in the versioned format', async () => {
    const a = await bookIn(await app.createClinic(), '2026-03-03T10:00:00Z');
    const b = await bookIn(await app.createClinic(), '2026-03-03T10:00:00Z');
    expect(a.patientPhoneHash).toMatch(/^v1:[0-9a-f]{64}$/);
    expect(b.patientPhoneHash).toMatch(/^v1:[0-9a-f]{64}$/);
    expect(a.patientPhoneHash).not.toBe(b.patientPhoneHash);
  });

  it('an appointment stored with the old shared hash is still found by the phone', async () => {
    const clinic = await app.createClinic();
    const booked = await bookIn(clinic, '2026-03-04T10:00:00Z');
    const legacy = `v1:${createHmac('sha256', HASH_KEY).update(PHONE).digest('hex')}`;
    expect(booked.patientPhoneHash).not.toBe(legacy);
    service.deps.store.sqlite
      .prepare('UPDATE appointments SET patient_phone_hash = ? WHERE id = ?')
      .run(legacy, booked.id);
    // A clinic from before per-clinic keys (a new one never holds a legacy hash), not yet re-hashed.
    service.deps.store.sqlite
      .prepare('UPDATE tenants SET legacy_phone_hashes = 1 WHERE id = ?')
      .run(clinic.tenantId);
    const found = await app.request('GET', '/v1/appointments', {
      key: clinic.key,
      query: { patientPhone: PHONE },
    });
    expect(found.body.items.map((i: { id: string }) => i.id)).toEqual([booked.id]);
  });
});
