// The Node process runs the timed jobs on its own timer (the Workers cron calls the same function).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { createApiKey } from '../../src/accounts/api-keys.js';
import { createTenant } from '../../src/accounts/tenants.js';
import { silentLogger } from '../../src/logger.js';
import { startNodeService } from '../../src/node/server.js';
import { randomBytes, toBase64Url } from '../../src/security/encoding.js';

it('marks a missed appointment no_show on its timer', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'agendai-scheduler-'));
  let now = Date.parse('2026-03-02T09:00:00Z');
  const service = await startNodeService({
    databasePath: join(dir, 'db.sqlite'),
    secrets: {
      PHONE_HASH_KEY: { version: 1, secret: toBase64Url(randomBytes(32)) },
      PHONE_ENCRYPTION_KEY: { version: 1, secret: toBase64Url(randomBytes(32)) },
    },
    logger: silentLogger,
    clock: { now: () => now },
    port: 0,
    schedulerIntervalMs: 20,
  });
  try {
    const { db } = service.deps.store;
    const tenant = await createTenant(
      db,
      { name: 'T', timezone: 'Europe/Lisbon', country: 'PT', status: 'active' },
      now,
    );
    const { apiKey } = await createApiKey(db, tenant.id, { scopes: ['*'], mode: 'live' }, now);
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${service.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return res.json();
    };
    const professional = await call('POST', '/v1/professionals', { name: 'Dra. Ana' });
    const svc = await call('POST', '/v1/services', { name: 'Consulta', durationMinutes: 30 });
    const appointment = await call('POST', '/v1/appointments', {
      professionalId: professional.id,
      serviceTypeId: svc.id,
      patientName: 'Maria',
      patientPhone: '+351912345678',
      startsAt: '2026-03-02T10:00:00Z',
    });
    now = Date.parse('2026-03-02T12:00:00Z');
    await expect
      .poll(async () => (await call('GET', `/v1/appointments/${appointment.id}`)).status, {
        timeout: 5000,
        interval: 25,
      })
      .toBe('no_show');
  } finally {
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
