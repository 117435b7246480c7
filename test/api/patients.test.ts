import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import { appointmentBody, setupClinic } from '../support/factories.js';
import type { TestApp } from '../support/types.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

describe('/v1/patients', () => {
  it('finds patients by name ignoring accents and case, grouped by phone', async () => {
    const s = await setupClinic(app);
    const book = (startsAt: string, patientName: string, patientPhone: string) =>
      app.request('POST', '/v1/appointments', {
        key: s.clinic.key,
        body: appointmentBody(s, startsAt, { patientName, patientPhone }),
      });
    await book('2026-05-14T09:00:00Z', 'João Gonçalves', '+351911111111');
    await book('2026-05-15T09:00:00Z', 'João Gonçalves', '+351911111111');
    const other = await book('2026-05-16T09:00:00Z', 'Joana Silva', '+351922222222');
    await book('2026-05-17T09:00:00Z', 'Pedro 100%_Real', '+351933333333');

    const found = await app.request('GET', '/v1/patients', {
      key: s.clinic.key,
      query: { search: 'JOAO GONC' },
    });
    expect(found.status).toBe(200);
    expect(found.body.items).toHaveLength(1);
    expect(found.body.items[0]).toMatchObject({
      name: 'João Gonçalves',
      appointmentCount: 2,
      lastAppointmentAt: '2026-05-15T10:00:00+01:00',
    });
    expect(found.text).not.toContain('911111111');

    const jo = await app.request('GET', '/v1/patients', { key: s.clinic.key, query: { search: 'jo' } });
    expect(jo.body.items.map((p: { name: string }) => p.name).sort()).toEqual([
      'Joana Silva',
      'João Gonçalves',
    ]);
    const literal = await app.request('GET', '/v1/patients', {
      key: s.clinic.key,
      query: { search: '100%_' },
    });
    expect(literal.body.items.map((p: { name: string }) => p.name)).toEqual(['Pedro 100%_Real']);
    expect(
      (await app.request('GET', '/v1/patients', { key: s.clinic.key, query: { search: '%' } })).body.items,
    ).toHaveLength(1);

    const byHash = await app.request(
      'GET',
      `/v1/patients/${encodeURIComponent(other.body.patientPhoneHash)}`,
      { key: s.clinic.key },
    );
    expect(byHash.status).toBe(200);
    expect(byHash.body).toMatchObject({ patientPhoneHash: other.body.patientPhoneHash, name: 'Joana Silva' });
    expect(byHash.body.appointments.map((a: { id: string }) => a.id)).toEqual([other.body.id]);
  });

  it("404 for an unknown hash or another clinic's patient", async () => {
    const mine = await setupClinic(app);
    const theirs = await setupClinic(app);
    const booked = await app.request('POST', '/v1/appointments', {
      key: theirs.clinic.key,
      body: appointmentBody(theirs, '2026-05-14T09:00:00Z'),
    });
    for (const hash of [booked.body.patientPhoneHash, 'v1:00', 'nope']) {
      const reply = await app.request('GET', `/v1/patients/${encodeURIComponent(hash)}`, {
        key: mine.clinic.key,
      });
      expect(reply.status).toBe(404);
      expect(reply.body.error).toBe('patient_not_found');
    }
    expect((await app.request('GET', '/v1/patients', { key: mine.clinic.key })).body.items).toEqual([]);
  });
});
