import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import type { TestApp } from '../support/types.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

describe('/v1/tenants/me', () => {
  it('returns the clinic of the key in the Tenant shape', async () => {
    const clinic = await app.createClinic({ name: 'Clínica Sorriso' });
    const reply = await app.request('GET', '/v1/tenants/me', { key: clinic.key });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      id: clinic.tenantId,
      name: 'Clínica Sorriso',
      specialty: 'other',
      status: 'active',
      country: 'PT',
      publicSlug: expect.stringMatching(/^clinica-sorriso/),
      publicBookingEnabled: false,
      config: { timezone: 'Europe/Lisbon', language: 'pt-PT', minimumNoticeMinutes: 60 },
    });
  });

  it('updates name, specialty, slug, public booking and config, keeping other config', async () => {
    const clinic = await app.createClinic();
    const reply = await app.request('PATCH', '/v1/tenants/me', {
      key: clinic.key,
      body: {
        name: 'Clínica Nova',
        specialty: 'dental',
        publicSlug: `nova-${clinic.tenantId.slice(0, 8)}`,
        publicBookingEnabled: true,
        nif: '506332014',
        city: 'Lisboa',
        config: { greeting: 'Olá, fala a Clínica Nova', timezone: 'Atlantic/Azores' },
      },
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      name: 'Clínica Nova',
      specialty: 'dental',
      publicBookingEnabled: true,
      nif: '506332014',
      config: { greeting: 'Olá, fala a Clínica Nova', timezone: 'Atlantic/Azores', language: 'pt-PT' },
    });
    expect(reply.body.updatedAt).toMatch(/-01:00$/);
    const again = await app.request('GET', '/v1/tenants/me', { key: clinic.key });
    expect(again.body).toEqual(reply.body);
  });

  it('422 for an unknown time zone, specialty, status or field', async () => {
    const clinic = await app.createClinic();
    for (const body of [
      { config: { timezone: 'Europe/Atlantis' } },
      { specialty: 'veterinary' },
      { status: 'active' },
      { publicSlug: 'Not A Slug' },
      { config: { slotStepMinutes: 1 } },
    ]) {
      const reply = await app.request('PATCH', '/v1/tenants/me', { key: clinic.key, body });
      expect(reply.status, JSON.stringify(body)).toBe(422);
      expect(reply.body.error).toBe('validation_failed');
    }
  });

  it('409 slug_taken when another clinic has the slug', async () => {
    const a = await app.createClinic();
    const b = await app.createClinic();
    const slug = `taken-${a.tenantId.slice(0, 8)}`;
    expect(
      (await app.request('PATCH', '/v1/tenants/me', { key: a.key, body: { publicSlug: slug } })).status,
    ).toBe(200);
    const reply = await app.request('PATCH', '/v1/tenants/me', { key: b.key, body: { publicSlug: slug } });
    expect(reply.status).toBe(409);
    expect(reply.body.error).toBe('slug_taken');
  });

  it('clinics claiming one slug at the same time: one gets it, the others 409 slug_taken', async () => {
    const clinics = await Promise.all(Array.from({ length: 4 }, () => app.createClinic()));
    const slug = `race-${clinics[0]!.tenantId.slice(0, 8)}`;
    const replies = await Promise.all(
      clinics.map((c) => app.request('PATCH', '/v1/tenants/me', { key: c.key, body: { publicSlug: slug } })),
    );
    expect(replies.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
    expect(replies.filter((r) => r.status === 409).map((r) => r.body.error)).toEqual(
      Array(3).fill('slug_taken'),
    );
  });

  it('422 when enabling public booking without a slug', async () => {
    const clinic = await app.createClinic();
    const reply = await app.request('PATCH', '/v1/tenants/me', {
      key: clinic.key,
      body: { publicSlug: null, publicBookingEnabled: true },
    });
    expect(reply.status).toBe(422);
    expect(reply.body.errors[0].path).toBe('publicSlug');
  });
});

describe('GET /health', () => {
  it('is public and answers the Mivicall shape', async () => {
    const reply = await app.request('GET', '/health');
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      status: 'ok',
      service: 'agendai',
      timestamp: expect.any(String),
      requestId: expect.any(String),
    });
  });
});
