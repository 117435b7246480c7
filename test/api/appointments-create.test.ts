import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import { appointmentBody, createProfessional, createService, setupClinic } from '../support/factories.js';
import type { TestApp } from '../support/types.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

describe('POST /v1/appointments', () => {
  it('books with the Mivicall body and answers the Mivicall shape (docs/mivicall-contract.md)', async () => {
    const s = await setupClinic(app);
    const reply = await app.request('POST', '/v1/appointments', {
      key: s.clinic.key,
      body: appointmentBody(s, '2026-05-14T10:00:00+01:00', { patientNotes: 'Dor no dente 36' }),
    });
    expect(reply.status).toBe(201);
    expect(reply.headers.get('location')).toBe(`/v1/appointments/${reply.body.id}`);
    expect(reply.body).toMatchObject({
      professionalId: s.professional.id,
      serviceTypeId: s.service.id,
      patientName: 'Maria Silva',
      startsAt: '2026-05-14T10:00:00+01:00',
      endsAt: '2026-05-14T10:30:00+01:00',
      status: 'confirmed',
      source: 'manual',
      patientNotes: 'Dor no dente 36',
      metadata: {},
    });
    expect(reply.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(reply.body.patientPhoneHash).toMatch(/^v1:[0-9a-f]{64}$/);
    expect(reply.body.createdAt).toBe('2026-03-02T09:00:00+00:00');
    expect(reply.text).not.toContain('912345678');
    expect(reply.body).not.toHaveProperty('patientPhone');

    const fetched = await app.request('GET', `/v1/appointments/${reply.body.id}`, { key: s.clinic.key });
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(reply.body);
  });

  it('renders times with the clinic offset, whatever offset the client sent', async () => {
    const s = await setupClinic(app, { timezone: 'America/Sao_Paulo', country: 'BR' });
    const reply = await app.request('POST', '/v1/appointments', {
      key: s.clinic.key,
      body: appointmentBody(s, '2026-05-14T12:00:00Z', { patientPhone: '+5511987654321' }),
    });
    expect(reply.status).toBe(201);
    expect(reply.body.startsAt).toBe('2026-05-14T09:00:00-03:00');
    expect(reply.body.endsAt).toBe('2026-05-14T09:30:00-03:00');
  });

  it('takes endsAt from the service duration and keeps metadata and sync_external source', async () => {
    const { clinic, professional } = await setupClinic(app);
    const service = await createService(app, clinic, { durationMinutes: 45 });
    const reply = await app.request('POST', '/v1/appointments', {
      key: clinic.key,
      body: appointmentBody({ professional, service }, '2026-05-14T10:00:00+01:00', {
        metadata: { pmsId: 'A-17', room: 3 },
        source: 'sync_external',
      }),
    });
    expect(reply.status).toBe(201);
    expect(reply.body.endsAt).toBe('2026-05-14T10:45:00+01:00');
    expect(reply.body.metadata).toEqual({ pmsId: 'A-17', room: 3 });
    expect(reply.body.source).toBe('sync_external');
  });

  it.each(['voice_ai', 'self_service'])('rejects the reserved source %s with 422', async (source) => {
    const s = await setupClinic(app);
    const reply = await app.request('POST', '/v1/appointments', {
      key: s.clinic.key,
      body: appointmentBody(s, '2026-05-14T10:00:00+01:00', { source }),
    });
    expect(reply.status).toBe(422);
    expect(reply.body.error).toBe('validation_failed');
    expect(reply.body.errors[0].path).toBe('source');
  });

  it('hashes the same number the same way within a clinic', async () => {
    const s = await setupClinic(app);
    const a = await app.request('POST', '/v1/appointments', {
      key: s.clinic.key,
      body: appointmentBody(s, '2026-05-14T10:00:00+01:00'),
    });
    const b = await app.request('POST', '/v1/appointments', {
      key: s.clinic.key,
      body: appointmentBody(s, '2026-05-14T11:00:00+01:00'),
    });
    expect(a.body.patientPhoneHash).toBe(b.body.patientPhoneHash);
  });

  describe('phone validation (libphonenumber decides, not the regex alone)', () => {
    it.each([
      ['+351012345678', 'E.164-shaped but not a Portuguese number'],
      ['+15555555555', 'US 555 number that is not assignable'],
      ['+3519123', 'too short'],
      ['912345678', 'no country code'],
      ['+351 912 345 678', 'spaces'],
    ])('rejects %s (%s)', async (patientPhone) => {
      const s = await setupClinic(app);
      const reply = await app.request('POST', '/v1/appointments', {
        key: s.clinic.key,
        body: appointmentBody(s, '2026-05-14T10:00:00+01:00', { patientPhone }),
      });
      expect(reply.status).toBe(422);
      expect(reply.body.error).toBe('validation_failed');
      expect(reply.body.errors).toContainEqual(expect.objectContaining({ path: 'patientPhone' }));
      expect(reply.text).not.toContain(patientPhone.replace(/\D/g, '').slice(-6));
    });
  });

  it('requires a start in the future', async () => {
    const s = await setupClinic(app);
    for (const startsAt of ['2026-03-02T09:00:00Z', '2026-03-01T10:00:00+00:00']) {
      const reply = await app.request('POST', '/v1/appointments', {
        key: s.clinic.key,
        body: appointmentBody(s, startsAt),
      });
      expect(reply.status).toBe(422);
      expect(reply.body.errors).toEqual([{ path: 'startsAt', message: 'Must be in the future' }]);
    }
  });

  it.each([
    ['2026-05-14T10:00:00', 'no offset'],
    ['2026-05-14', 'a date'],
    ['2026-02-30T10:00:00Z', 'an impossible date'],
    ['tomorrow at ten', 'words'],
  ])('rejects startsAt %s (%s)', async (startsAt) => {
    const s = await setupClinic(app);
    const reply = await app.request('POST', '/v1/appointments', {
      key: s.clinic.key,
      body: appointmentBody(s, startsAt),
    });
    expect(reply.status).toBe(422);
    expect(reply.body.errors[0].path).toBe('startsAt');
  });

  it('keeps to the one patient-name rule: tidied, at least two characters', async () => {
    const s = await setupClinic(app);
    const short = await app.request('POST', '/v1/appointments', {
      key: s.clinic.key,
      body: { ...appointmentBody(s, '2026-05-14T10:00:00+01:00'), patientName: ' A ' },
    });
    expect(short.status).toBe(422);
    expect(short.body.errors).toEqual([{ path: 'patientName', message: 'At least 2 characters' }]);
    const tidied = await app.request('POST', '/v1/appointments', {
      key: s.clinic.key,
      body: { ...appointmentBody(s, '2026-05-14T10:00:00+01:00'), patientName: '  Ana   Sousa ' },
    });
    expect(tidied.status).toBe(201);
    expect(tidied.body.patientName).toBe('Ana Sousa');
  });

  it('answers 404 for an unknown professional or service', async () => {
    const s = await setupClinic(app);
    const missing = crypto.randomUUID();
    const p = await app.request('POST', '/v1/appointments', {
      key: s.clinic.key,
      body: appointmentBody({ professional: { id: missing }, service: s.service }, '2026-05-14T10:00:00Z'),
    });
    expect(p.status).toBe(404);
    expect(p.body.error).toBe('professional_not_found');
    const sv = await app.request('POST', '/v1/appointments', {
      key: s.clinic.key,
      body: appointmentBody(
        { professional: s.professional, service: { id: missing } },
        '2026-05-14T10:00:00Z',
      ),
    });
    expect(sv.status).toBe(404);
    expect(sv.body.error).toBe('service_not_found');
  });

  it("answers 404 for another clinic's professional or service", async () => {
    const mine = await setupClinic(app);
    const theirs = await setupClinic(app);
    const p = await app.request('POST', '/v1/appointments', {
      key: mine.clinic.key,
      body: appointmentBody(
        { professional: theirs.professional, service: mine.service },
        '2026-05-14T10:00:00Z',
      ),
    });
    expect(p.body.error).toBe('professional_not_found');
    const sv = await app.request('POST', '/v1/appointments', {
      key: mine.clinic.key,
      body: appointmentBody(
        { professional: mine.professional, service: theirs.service },
        '2026-05-14T10:00:00Z',
      ),
    });
    expect(sv.body.error).toBe('service_not_found');
  });

  it('answers 422 for an inactive professional or service', async () => {
    const { clinic } = await setupClinic(app);
    const inactiveProfessional = await createProfessional(app, clinic, { active: false });
    const service = await createService(app, clinic);
    const p = await app.request('POST', '/v1/appointments', {
      key: clinic.key,
      body: appointmentBody({ professional: inactiveProfessional, service }, '2026-05-14T10:00:00Z'),
    });
    expect(p.status).toBe(422);
    expect(p.body.error).toBe('professional_inactive');

    const professional = await createProfessional(app, clinic);
    const inactiveService = await createService(app, clinic, { active: false });
    const sv = await app.request('POST', '/v1/appointments', {
      key: clinic.key,
      body: appointmentBody({ professional, service: inactiveService }, '2026-05-14T10:00:00Z'),
    });
    expect(sv.status).toBe(422);
    expect(sv.body.error).toBe('service_inactive');
  });

  describe('overlap', () => {
    it('409 slot_conflict on any overlap with the same professional; touching is fine', async () => {
      const s = await setupClinic(app);
      const book = (startsAt: string, extra = {}) =>
        app.request('POST', '/v1/appointments', {
          key: s.clinic.key,
          body: appointmentBody(s, startsAt, extra),
        });
      expect((await book('2026-05-14T10:00:00+01:00')).status).toBe(201);
      for (const clash of [
        '2026-05-14T10:00:00+01:00',
        '2026-05-14T09:31:00+01:00',
        '2026-05-14T10:29:00+01:00',
        '2026-05-14T10:15:00+01:00',
      ]) {
        const reply = await book(clash);
        expect(reply.status, clash).toBe(409);
        expect(reply.body).toMatchObject({ error: 'slot_conflict', errors: [] });
        expect(reply.body.requestId).toMatch(/^[0-9a-f-]{36}$/);
      }
      expect((await book('2026-05-14T09:30:00+01:00')).status).toBe(201);
      expect((await book('2026-05-14T10:30:00+01:00')).status).toBe(201);
    });

    it('lets another professional take the same time', async () => {
      const s = await setupClinic(app);
      const other = await createProfessional(app, s.clinic, { name: 'Dr. Rui' });
      const startsAt = '2026-05-14T10:00:00+01:00';
      expect(
        (
          await app.request('POST', '/v1/appointments', {
            key: s.clinic.key,
            body: appointmentBody(s, startsAt),
          })
        ).status,
      ).toBe(201);
      const reply = await app.request('POST', '/v1/appointments', {
        key: s.clinic.key,
        body: appointmentBody({ professional: other, service: s.service }, startsAt),
      });
      expect(reply.status).toBe(201);
    });

    it("keeps the service's buffer free after an appointment", async () => {
      const { clinic, professional } = await setupClinic(app);
      const service = await createService(app, clinic, { durationMinutes: 30, bufferMinutes: 10 });
      const book = (startsAt: string) =>
        app.request('POST', '/v1/appointments', {
          key: clinic.key,
          body: appointmentBody({ professional, service }, startsAt),
        });
      expect((await book('2026-05-14T10:00:00Z')).status).toBe(201);
      expect((await book('2026-05-14T10:35:00Z')).status).toBe(409);
      expect((await book('2026-05-14T10:40:00Z')).status).toBe(201);
    });

    it('finds a long earlier appointment that still runs', async () => {
      const { clinic, professional } = await setupClinic(app);
      const surgery = await createService(app, clinic, {
        name: 'Cirurgia',
        durationMinutes: 720,
        bufferMinutes: 240,
      });
      const quick = await createService(app, clinic, { durationMinutes: 15 });
      const first = await app.request('POST', '/v1/appointments', {
        key: clinic.key,
        body: appointmentBody({ professional, service: surgery }, '2026-05-14T06:00:00Z'),
      });
      expect(first.status).toBe(201);
      const late = await app.request('POST', '/v1/appointments', {
        key: clinic.key,
        body: appointmentBody({ professional, service: quick }, '2026-05-14T21:45:00Z'),
      });
      expect(late.status).toBe(409);
      const after = await app.request('POST', '/v1/appointments', {
        key: clinic.key,
        body: appointmentBody({ professional, service: quick }, '2026-05-14T22:00:00Z'),
      });
      expect(after.status).toBe(201);
    });
  });

  it('stores the phone only as ciphertext and hash', async () => {
    const s = await setupClinic(app);
    const reply = await app.request('POST', '/v1/appointments', {
      key: s.clinic.key,
      body: appointmentBody(s, '2026-05-14T10:00:00+01:00', { patientPhone: '+351961234567' }),
    });
    const [row] = await app.sql('SELECT * FROM appointments WHERE id = ?', reply.body.id);
    expect(JSON.stringify(row)).not.toContain('961234567');
    expect(row!.patient_phone_encrypted).toMatch(/^v1\.[\w-]+\.[\w-]+$/);
  });
});
