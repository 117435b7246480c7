// The configuration every request reads (its API key with the clinic, the clinic's catalogue) is kept
// in memory between requests (src/db/versioned-cache.ts) and must never be stale: a change through the
// API or straight in the database (any writer: the SQLite triggers keep the clinic's counters) is seen
// by the very next request. Each test first makes a request that fills the cache, then changes the
// data, then checks the next request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import { appointmentBody, setupClinic } from '../support/factories.js';
import type { Clinic, TestApp } from '../support/types.js';
import { VAPI_SECRET, vapiCaller } from '../support/vapi.js';
import { voiceClinic } from '../support/voice.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const me = (key: string) => app.request('GET', '/v1/tenants/me', { key });

const WEEKDAYS = Object.fromEntries(
  ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'].map((d) => [
    d,
    [{ start: '09:00', end: '13:00' }],
  ]),
);

/** A clinic whose professional works weekday mornings, and the day's availability query. */
async function bookableClinic() {
  const s = await setupClinic(app);
  const hours = await app.request('PUT', `/v1/professionals/${s.professional.id}/schedule`, {
    key: s.clinic.key,
    body: { weekly: WEEKDAYS },
  });
  expect(hours.status).toBe(200);
  const availability = (clinic: Clinic = s.clinic, serviceTypeId = s.service.id) =>
    app.request('GET', '/v1/availability', {
      key: clinic.key,
      query: { serviceTypeId, from: '2026-03-04', to: '2026-03-04' },
    });
  return { ...s, availability };
}

describe('the configuration cache', () => {
  it('refuses a key revoked through the API on the very next request', async () => {
    const clinic = await app.createClinic();
    const made = await app.request('POST', '/v1/api-keys', {
      key: clinic.key,
      body: { scopes: ['*'], name: 'PMS' },
    });
    expect(made.status).toBe(201);
    const key: string = made.body.apiKey;
    expect((await me(key)).status).toBe(200);
    expect((await me(key)).status).toBe(200);
    const revoked = await app.request('DELETE', `/v1/api-keys/${made.body.key.id}`, { key: clinic.key });
    expect(revoked.status).toBe(200);
    const refused = await me(key);
    expect(refused.status).toBe(401);
    expect(refused.body.error).toBe('invalid_api_key');
  });

  it('sees a key revoked, rescoped or expired straight in the database (another writer)', async () => {
    const clinic = await app.createClinic();
    const other = await app.createKey(clinic.tenantId, ['*']);
    expect((await me(other.key)).status).toBe(200);
    expect((await app.request('GET', '/v1/services', { key: other.key })).status).toBe(200);

    await app.exec(
      `UPDATE api_keys SET scopes = '["appointments:read"]' WHERE id = '${other.keyId}'`,
      clinic.tenantId,
    );
    const narrowed = await app.request('GET', '/v1/services', { key: other.key });
    expect(narrowed.status).toBe(403);

    await app.exec(
      `UPDATE api_keys SET scopes = '["*"]', expires_at = ${app.now()} WHERE id = '${other.keyId}'`,
      clinic.tenantId,
    );
    expect((await me(other.key)).body.error).toBe('expired_api_key');

    await app.exec(
      `UPDATE api_keys SET expires_at = ${app.now() + 86_400_000}, revoked_at = ${app.now()} WHERE id = '${other.keyId}'`,
      clinic.tenantId,
    );
    expect((await me(other.key)).body.error).toBe('invalid_api_key');
    // The clinic's own key is untouched.
    expect((await me(clinic.key)).status).toBe(200);
  });

  it('refuses a suspended clinic on the very next request, and serves it again once restored', async () => {
    const clinic = await app.createClinic();
    expect((await me(clinic.key)).status).toBe(200);
    await app.setTenantStatus(clinic.tenantId, 'canceled');
    const refused = await me(clinic.key);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe('tenant_inactive');
    await app.exec(`UPDATE tenants SET status = 'active' WHERE id = '${clinic.tenantId}'`, clinic.tenantId);
    expect((await me(clinic.key)).status).toBe(200);
  });

  it('answers with the clinic as it is now (a settings change)', async () => {
    const clinic = await app.createClinic({ name: 'Clínica Antiga' });
    expect((await me(clinic.key)).body.name).toBe('Clínica Antiga');
    await app.exec(
      `UPDATE tenants SET name = 'Clínica Nova' WHERE id = '${clinic.tenantId}'`,
      clinic.tenantId,
    );
    expect((await me(clinic.key)).body.name).toBe('Clínica Nova');
  });

  it('does not count a key’s last-use touch as a change', async () => {
    const clinic = await app.createClinic();
    const versions = async () =>
      (await app.sql('SELECT access, catalog FROM clinic_versions WHERE tenant_id = ?', clinic.tenantId))[0];
    const lastUsed = async () =>
      (await app.sql('SELECT last_used_at AS at FROM api_keys WHERE id = ?', clinic.keyId))[0]!.at;
    const before = await versions();
    expect(before).toBeDefined();
    expect(await lastUsed()).toBeNull();
    expect((await me(clinic.key)).status).toBe(200);
    // The touch follows the answer (waitUntil inside workerd): wait for it.
    for (let i = 0; i < 100 && (await lastUsed()) === null; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await lastUsed()).toBe(app.now());
    expect(await versions()).toEqual(before);
    // What does count: any other change of the key.
    await app.exec(`UPDATE api_keys SET name = 'renamed' WHERE id = '${clinic.keyId}'`, clinic.tenantId);
    expect(Number((await versions())!.access)).toBeGreaterThan(Number(before!.access));
  });

  it('shows availability and booking the catalogue as it is now', async () => {
    const s = await bookableClinic();
    const open = await s.availability();
    expect(open.status).toBe(200);
    expect(open.body.items.length).toBeGreaterThan(0);

    // Hours cleared straight in the database: no slot left; put back, the slots are back.
    const [{ hours }] = (await app.sql(
      'SELECT weekly_schedule AS hours FROM professionals WHERE id = ?',
      s.professional.id,
    )) as [{ hours: string }];
    await app.exec(
      `UPDATE professionals SET weekly_schedule = '{}' WHERE id = '${s.professional.id}'`,
      s.clinic.tenantId,
    );
    expect((await s.availability()).body.items).toEqual([]);
    await app.exec(
      `UPDATE professionals SET weekly_schedule = '${hours}' WHERE id = '${s.professional.id}'`,
      s.clinic.tenantId,
    );
    expect((await s.availability()).body.items.length).toBe(open.body.items.length);

    // The service deactivated through the API: the next booking is refused.
    const off = await app.request('PATCH', `/v1/services/${s.service.id}`, {
      key: s.clinic.key,
      body: { active: false },
    });
    expect(off.status).toBe(200);
    const book = () =>
      app.request('POST', '/v1/appointments', {
        key: s.clinic.key,
        body: appointmentBody(s, '2026-03-04T10:00:00Z'),
      });
    const refused = await book();
    expect(refused.status).toBe(422);
    expect(refused.body.error).toBe('service_inactive');
    await app.request('PATCH', `/v1/services/${s.service.id}`, { key: s.clinic.key, body: { active: true } });

    // The professional deactivated straight in the database: refused too.
    await app.exec(
      `UPDATE professionals SET active = 0 WHERE id = '${s.professional.id}'`,
      s.clinic.tenantId,
    );
    const noProfessional = await book();
    expect(noProfessional.body.error).toBe('professional_inactive');
    await app.exec(
      `UPDATE professionals SET active = 1 WHERE id = '${s.professional.id}'`,
      s.clinic.tenantId,
    );
    expect((await book()).status).toBe(201);
  });

  it('sees a service added, and a change of who provides it', async () => {
    const s = await bookableClinic();
    expect((await s.availability()).status).toBe(200);
    const added = await app.request('POST', '/v1/services', {
      key: s.clinic.key,
      body: { name: 'Limpeza', durationMinutes: 60 },
    });
    expect(added.status).toBe(201);
    const hour = await s.availability(s.clinic, added.body.id);
    expect(hour.status).toBe(200);
    const first = hour.body.items[0];
    expect(Date.parse(first.endsAt) - Date.parse(first.startsAt)).toBe(3_600_000);

    // Who provides it, changed straight in the database: a link to nobody of this clinic's schedule.
    const other = await app.request('POST', '/v1/professionals', {
      key: s.clinic.key,
      body: { name: 'Dr. Sem Horário' },
    });
    await app.exec(
      `INSERT INTO service_professionals (tenant_id, service_id, professional_id)
       VALUES ('${s.clinic.tenantId}', '${added.body.id}', '${other.body.id}')`,
      s.clinic.tenantId,
    );
    expect((await s.availability(s.clinic, added.body.id)).body.items).toEqual([]);
    await app.exec(
      `DELETE FROM service_professionals WHERE service_id = '${added.body.id}'`,
      s.clinic.tenantId,
    );
    expect((await s.availability(s.clinic, added.body.id)).body.items.length).toBe(hour.body.items.length);
  });

  it('never answers one clinic from another’s catalogue', async () => {
    const a = await bookableClinic();
    const b = await bookableClinic();
    expect((await a.availability()).status).toBe(200);
    expect((await b.availability()).status).toBe(200);
    // A's service, asked with B's key (B's catalogue just read and kept): not found.
    const crossed = await a.availability(b.clinic, a.service.id);
    expect(crossed.status).toBe(404);
    expect(crossed.body.error).toBe('service_not_found');
    const booked = await app.request('POST', '/v1/appointments', {
      key: b.clinic.key,
      body: appointmentBody(a, '2026-03-04T10:00:00Z'),
    });
    expect(booked.status).toBe(404);
    // A change in A's catalogue leaves B's answer as it was.
    await app.exec(`UPDATE services SET active = 0 WHERE id = '${a.service.id}'`, a.clinic.tenantId);
    expect((await b.availability()).body.items.length).toBeGreaterThan(0);
  });

  it('speaks the catalogue as it is now and refuses an integration switched off (the voice door)', async () => {
    const v = await voiceClinic(app, 'vapi', { secret: VAPI_SECRET });
    const ask = vapiCaller(app, v.path, '+351912000111', 'call-config-cache');
    expect(await ask('list_services')).toContain('Consulta de rotina');
    await app.exec(
      `UPDATE services SET name = 'Consulta geral' WHERE id = '${v.consulta.id}'`,
      v.clinic.tenantId,
    );
    // A new call, and the same call again: both hear the new name.
    expect(await vapiCaller(app, v.path, '+351912000222', 'call-config-cache-2')('list_services')).toContain(
      'Consulta geral',
    );
    expect(await ask('list_services')).not.toContain('Consulta de rotina');

    await app.exec(
      `UPDATE voice_integrations SET active = 0 WHERE id = '${v.integration.id}'`,
      v.clinic.tenantId,
    );
    await expect(ask('list_services')).rejects.toThrow(/vapi: 404/);
  });

  it('tells a call the clinic as it is now: suspended, restored, its language changed (the voice door)', async () => {
    const v = await voiceClinic(app, 'vapi', { secret: VAPI_SECRET });
    const ask = vapiCaller(app, v.path, '+351912000333', 'call-config-cache-3');
    expect(await ask('list_services')).toContain('Consulta de rotina');
    await app.setTenantStatus(v.clinic.tenantId, 'canceled');
    expect(await ask('list_services')).toMatch(/não consigo tratar de marcações/);
    await app.setTenantStatus(v.clinic.tenantId, 'active');
    expect(await ask('list_services')).toContain('Consulta de rotina');
    // Straight in the database (another writer): the next tool call speaks the new language.
    await app.exec(
      `UPDATE tenants SET config = json_set(config, '$.language', 'en') WHERE id = '${v.clinic.tenantId}'`,
      v.clinic.tenantId,
    );
    await app.setTenantStatus(v.clinic.tenantId, 'canceled');
    expect(await ask('list_services')).toMatch(/cannot handle appointments by phone/);
  });
});
