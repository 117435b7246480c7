import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import { appointmentBody, createProfessional, createService, setupClinic } from '../support/factories.js';
import type { TestApp } from '../support/types.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

describe('/v1/professionals', () => {
  it('creates, lists, gets and patches', async () => {
    const clinic = await app.createClinic();
    const created = await app.request('POST', '/v1/professionals', {
      key: clinic.key,
      body: { name: 'Dra. Ana Costa', specialty: 'Ortodontia', email: 'ana@clinica.pt', externalId: 'pms-7' },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/v1/professionals/${created.body.id}`);
    expect(created.body).toMatchObject({
      name: 'Dra. Ana Costa',
      specialty: 'Ortodontia',
      externalId: 'pms-7',
      active: true,
    });
    await createProfessional(app, clinic, { name: 'Dr. Bruno' });

    const list = await app.request('GET', '/v1/professionals', { key: clinic.key });
    expect(list.body.items.map((p: { name: string }) => p.name)).toEqual(['Dr. Bruno', 'Dra. Ana Costa']);

    const patched = await app.request('PATCH', `/v1/professionals/${created.body.id}`, {
      key: clinic.key,
      body: { active: false, specialty: null },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ active: false, specialty: null, name: 'Dra. Ana Costa' });
    const active = await app.request('GET', '/v1/professionals', {
      key: clinic.key,
      query: { active: 'true' },
    });
    expect(active.body.items.map((p: { name: string }) => p.name)).toEqual(['Dr. Bruno']);
  });

  it('409 external_id_taken for a duplicate externalId within a clinic, not across clinics', async () => {
    const a = await app.createClinic();
    const b = await app.createClinic();
    await createProfessional(app, a, { externalId: 'ext-1' });
    const dup = await app.request('POST', '/v1/professionals', {
      key: a.key,
      body: { name: 'X', externalId: 'ext-1' },
    });
    expect(dup.status).toBe(409);
    expect(dup.body.error).toBe('external_id_taken');
    expect(
      (
        await app.request('POST', '/v1/professionals', {
          key: b.key,
          body: { name: 'X', externalId: 'ext-1' },
        })
      ).status,
    ).toBe(201);
  });

  // The unique (clinic, externalId) index decides, not a read made before the write.
  it('concurrent writes of one externalId: one wins, every other gets 409 external_id_taken', async () => {
    const clinic = await app.createClinic();
    const created = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        app.request('POST', '/v1/professionals', {
          key: clinic.key,
          body: { name: `Dr. ${i}`, externalId: 'race-1' },
        }),
      ),
    );
    expect(created.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    expect(created.filter((r) => r.status === 409).map((r) => r.body.error)).toEqual(
      Array(5).fill('external_id_taken'),
    );

    const others = await Promise.all(
      Array.from({ length: 4 }, (_, i) => createProfessional(app, clinic, { name: `Dr. ${i}` })),
    );
    const patched = await Promise.all(
      others.map((p) =>
        app.request('PATCH', `/v1/professionals/${p.id}`, {
          key: clinic.key,
          body: { externalId: 'race-2' },
        }),
      ),
    );
    expect(patched.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
    const listed = await app.request('GET', '/v1/professionals', { key: clinic.key });
    const holders = listed.body.items.filter((p: { externalId: string | null }) => p.externalId === 'race-2');
    expect(holders).toHaveLength(1);
  });

  it('422 for a missing name, a bad email or unknown fields', async () => {
    const clinic = await app.createClinic();
    for (const body of [
      {},
      { name: '  ' },
      { name: 'A', email: 'not-an-email' },
      { name: 'A', phone: '+351912345678' },
    ]) {
      const reply = await app.request('POST', '/v1/professionals', { key: clinic.key, body });
      expect(reply.status, JSON.stringify(body)).toBe(422);
    }
  });

  it('DELETE removes a professional without future appointments (204, then 404)', async () => {
    const clinic = await app.createClinic();
    const p = await createProfessional(app, clinic);
    const reply = await app.request('DELETE', `/v1/professionals/${p.id}`, { key: clinic.key });
    expect(reply.status).toBe(204);
    expect(reply.text).toBe('');
    expect((await app.request('GET', `/v1/professionals/${p.id}`, { key: clinic.key })).status).toBe(404);
    expect((await app.request('DELETE', `/v1/professionals/${p.id}`, { key: clinic.key })).status).toBe(404);
  });

  it('DELETE only deactivates a professional with future appointments, which stay booked', async () => {
    const s = await setupClinic(app);
    const booked = await app.request('POST', '/v1/appointments', {
      key: s.clinic.key,
      body: appointmentBody(s, '2026-05-14T10:00:00Z'),
    });
    const reply = await app.request('DELETE', `/v1/professionals/${s.professional.id}`, {
      key: s.clinic.key,
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ id: s.professional.id, active: false });
    const appt = await app.request('GET', `/v1/appointments/${booked.body.id}`, { key: s.clinic.key });
    expect(appt.body.status).toBe('confirmed');
    const more = await app.request('POST', '/v1/appointments', {
      key: s.clinic.key,
      body: appointmentBody(s, '2026-05-15T10:00:00Z'),
    });
    expect(more.status).toBe(422);
    expect(more.body.error).toBe('professional_inactive');
  });

  it('keeps past appointments readable after their professional is removed', async () => {
    const s = await setupClinic(app);
    const booked = await app.request('POST', '/v1/appointments', {
      key: s.clinic.key,
      body: appointmentBody(s, '2026-03-03T10:00:00Z'),
    });
    const now = app.now();
    app.setNow(Date.parse('2026-04-01T00:00:00Z'));
    try {
      expect(
        (await app.request('DELETE', `/v1/professionals/${s.professional.id}`, { key: s.clinic.key })).status,
      ).toBe(204);
      const appt = await app.request('GET', `/v1/appointments/${booked.body.id}`, { key: s.clinic.key });
      expect(appt.status).toBe(200);
      expect(appt.body.professionalId).toBe(s.professional.id);
    } finally {
      app.setNow(now);
    }
  });
});

describe('/v1/services', () => {
  it('creates with duration, buffer, price and currency', async () => {
    const clinic = await app.createClinic();
    const reply = await app.request('POST', '/v1/services', {
      key: clinic.key,
      body: {
        name: 'Higiene oral',
        durationMinutes: 45,
        bufferMinutes: 5,
        priceCents: 4500,
        description: 'Destartarização',
      },
    });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({
      name: 'Higiene oral',
      durationMinutes: 45,
      bufferMinutes: 5,
      priceCents: 4500,
      currency: 'EUR',
      active: true,
    });
  });

  it('422 for a duration or buffer out of range', async () => {
    const clinic = await app.createClinic();
    for (const body of [
      { name: 'A' },
      { name: 'A', durationMinutes: 0 },
      { name: 'A', durationMinutes: 721 },
      { name: 'A', durationMinutes: 30.5 },
      { name: 'A', durationMinutes: 30, bufferMinutes: -1 },
      { name: 'A', durationMinutes: 30, currency: 'euro' },
    ]) {
      const reply = await app.request('POST', '/v1/services', { key: clinic.key, body });
      expect(reply.status, JSON.stringify(body)).toBe(422);
    }
  });

  it('a new duration applies to new bookings only', async () => {
    const s = await setupClinic(app);
    const first = await app.request('POST', '/v1/appointments', {
      key: s.clinic.key,
      body: appointmentBody(s, '2026-05-14T10:00:00Z'),
    });
    await app.request('PATCH', `/v1/services/${s.service.id}`, {
      key: s.clinic.key,
      body: { durationMinutes: 60 },
    });
    const second = await app.request('POST', '/v1/appointments', {
      key: s.clinic.key,
      body: appointmentBody(s, '2026-05-14T11:00:00Z'),
    });
    expect(first.body.endsAt).toBe('2026-05-14T11:30:00+01:00');
    expect(second.body.endsAt).toBe('2026-05-14T13:00:00+01:00');
  });

  it('DELETE deactivates a service with future appointments', async () => {
    const s = await setupClinic(app);
    await app.request('POST', '/v1/appointments', {
      key: s.clinic.key,
      body: appointmentBody(s, '2026-05-14T10:00:00Z'),
    });
    const reply = await app.request('DELETE', `/v1/services/${s.service.id}`, { key: s.clinic.key });
    expect(reply.status).toBe(200);
    expect(reply.body.active).toBe(false);
    const unused = await createService(app, s.clinic);
    expect((await app.request('DELETE', `/v1/services/${unused.id}`, { key: s.clinic.key })).status).toBe(
      204,
    );
  });
});
