import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import { bookingClinic } from '../support/booking.js';
import type { TestApp } from '../support/types.js';
import { appointmentsOf } from '../support/voice.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const book = (slug: string, body: Record<string, unknown>, key: string = crypto.randomUUID()) =>
  app.request('POST', `/booking/${slug}/api/appointments`, { body, headers: { 'Idempotency-Key': key } });

describe('self-service booking page', () => {
  it('serves the page with a strict CSP, in the clinic language; 404 when online booking is off', async () => {
    const b = await bookingClinic(app);
    const page = await app.request('GET', `/booking/${b.slug}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.text).toContain('Clínica Sorriso: Marcar consulta');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await app.request('GET', '/booking/assets/booking.js')).headers.get('content-type')).toContain(
      'javascript',
    );
    await app.request('PATCH', '/v1/tenants/me', {
      key: b.clinic.key,
      body: { publicBookingEnabled: false },
    });
    expect((await app.request('GET', `/booking/${b.slug}`)).status).toBe(404);
    expect((await app.request('GET', `/booking/${b.slug}/api/clinic`)).status).toBe(404);
    expect((await app.request('GET', '/booking/no-such-clinic')).status).toBe(404);
  });

  it('escapes the clinic name in the page', async () => {
    const b = await bookingClinic(app);
    await app.request('PATCH', '/v1/tenants/me', {
      key: b.clinic.key,
      body: { name: '<script>alert(1)</script>' },
    });
    const page = await app.request('GET', `/booking/${b.slug}`);
    expect(page.text).not.toContain('<script>alert(1)</script>');
    expect(page.text).toContain('&lt;script&gt;');
  });

  it('lists services and free times (one per time), and books as self_service', async () => {
    const b = await bookingClinic(app);
    const clinic = await app.request('GET', `/booking/${b.slug}/api/clinic`);
    expect(clinic.body).toMatchObject({
      name: 'Clínica Sorriso',
      today: '2026-03-02',
      timezone: 'Europe/Lisbon',
    });
    expect(clinic.body.services.map((s: { name: string }) => s.name)).toEqual([
      'Consulta de rotina',
      'Higiene oral',
    ]);
    const slots = await app.request('GET', `/booking/${b.slug}/api/slots`, {
      query: { serviceTypeId: b.consulta.id, date: '2026-03-03' },
    });
    expect(slots.body.slots[0]).toEqual({ startsAt: '2026-03-03T09:00:00+00:00', time: '09:00' });
    const times = slots.body.slots.map((s: { time: string }) => s.time);
    expect(new Set(times).size).toBe(times.length);

    const reply = await book(b.slug, {
      serviceTypeId: b.consulta.id,
      startsAt: slots.body.slots[0].startsAt,
      patientName: 'Maria Silva',
      patientPhone: '912 345 678',
    });
    expect(reply.status).toBe(201);
    expect(reply.body).toEqual({
      reference: expect.stringMatching(/^[0-9A-F]{8}$/),
      startsAt: '2026-03-03T09:00:00+00:00',
      endsAt: '2026-03-03T09:30:00+00:00',
      professionalName: 'Dr. Rui Lopes',
      serviceName: 'Consulta de rotina',
    });
    expect(reply.text).not.toContain('patientPhoneHash');
    const [appointment] = await appointmentsOf(app, b.clinic);
    expect(appointment).toMatchObject({ source: 'self_service', patientName: 'Maria Silva' });
    const history = await app.request('GET', `/v1/appointments/${appointment!.id}/history`, {
      key: b.clinic.key,
    });
    expect(history.body.items[0].actor).toBe('self_service');
  });

  it('keeps to working hours and notice, and never double-books', async () => {
    const b = await bookingClinic(app);
    const base = { serviceTypeId: b.higiene.id, patientName: 'Ana Sousa', patientPhone: '+351912000001' };
    expect((await book(b.slug, { ...base, startsAt: '2026-03-07T10:00:00Z' })).body.error).toBe(
      'outside_working_hours',
    );
    expect((await book(b.slug, { ...base, startsAt: '2026-03-02T09:30:00Z' })).body.error).toBe(
      'insufficient_notice',
    );
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        book(b.slug, { ...base, patientName: `Paciente ${i}`, startsAt: '2026-03-04T10:00:00Z' }),
      ),
    );
    expect(replies.filter((r) => r.status === 201)).toHaveLength(1);
    expect(replies.filter((r) => r.status === 409)).toHaveLength(19);
  });

  it('one Idempotency-Key books once (a double click)', async () => {
    const b = await bookingClinic(app);
    const body = {
      serviceTypeId: b.consulta.id,
      startsAt: '2026-03-04T11:00:00Z',
      patientName: 'Rui',
      patientPhone: '+351912000002',
    };
    const replies = await Promise.all([
      book(b.slug, body, 'web-1'),
      book(b.slug, body, 'web-1'),
      book(b.slug, body, 'web-1'),
    ]);
    expect(replies.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(new Set(replies.map((r) => r.body.reference)).size).toBe(1);
    expect(await appointmentsOf(app, b.clinic)).toHaveLength(1);
  });

  it("a visitor's Idempotency-Key neither blocks nor reveals the clinic's own keys", async () => {
    const b = await bookingClinic(app);
    const visitor = await book(
      b.slug,
      {
        serviceTypeId: b.consulta.id,
        startsAt: '2026-03-04T11:30:00Z',
        patientName: 'Rui Lopes',
        patientPhone: '+351912000004',
      },
      'pms-create-7001',
    );
    expect(visitor.status).toBe(201);
    const pms = await app.request('POST', '/v1/appointments', {
      key: b.clinic.key,
      headers: { 'Idempotency-Key': 'pms-create-7001' },
      body: {
        professionalId: b.rui.id,
        serviceTypeId: b.consulta.id,
        patientName: 'Marta Reis',
        patientPhone: '+351912000005',
        startsAt: '2026-03-04T14:00:00Z',
      },
    });
    expect(pms.status).toBe(201);
    expect(pms.headers.get('idempotent-replayed')).toBeNull();
    expect(await appointmentsOf(app, b.clinic)).toHaveLength(2);
  });

  it('422 for a bad phone, a short name, unknown fields or a filled honeypot; 400 for broken JSON', async () => {
    const b = await bookingClinic(app);
    const base = {
      serviceTypeId: b.consulta.id,
      startsAt: '2026-03-04T12:00:00Z',
      patientName: 'Rui Lopes',
      patientPhone: '+351912000003',
    };
    for (const body of [
      { ...base, patientPhone: '12345678' },
      { ...base, patientName: 'R' },
      { ...base, email: 'x@y.z' },
      { ...base, website: 'http://spam.example' },
    ]) {
      const reply = await book(b.slug, body);
      expect(reply.status, JSON.stringify(body)).toBe(422);
      expect(reply.body).toMatchObject({ error: 'validation_failed', requestId: expect.any(String) });
    }
    const broken = await app.request('POST', `/booking/${b.slug}/api/appointments`, {
      body: '{"serviceTypeId":',
      headers: { 'content-type': 'application/json' },
    });
    expect(broken.status).toBe(400);
    expect(await appointmentsOf(app, b.clinic)).toHaveLength(0);
  });
});

describe('booking page limits (one phone, one address)', () => {
  it('a phone holds at most the clinic setting of upcoming online bookings, even in parallel', async () => {
    const b = await bookingClinic(app);
    const phone = '+351912000077';
    const times = ['09:00', '09:30', '10:00', '10:30', '11:00', '11:30', '14:00', '14:30'];
    const replies = await Promise.all(
      times.map((t) =>
        book(b.slug, {
          serviceTypeId: b.consulta.id,
          startsAt: `2026-03-05T${t}:00Z`,
          patientName: 'Bot Bot',
          patientPhone: phone,
        }),
      ),
    );
    expect(replies.filter((r) => r.status === 201)).toHaveLength(2);
    const refused = replies.filter((r) => r.status !== 201);
    expect(refused.every((r) => r.status === 422 && r.body.error === 'booking_limit_reached')).toBe(true);
    // The clinic's own staff may still book that patient; the cap is the clinic's setting.
    const staff = await app.request('POST', '/v1/appointments', {
      key: b.clinic.key,
      body: {
        professionalId: b.rui.id,
        serviceTypeId: b.consulta.id,
        patientName: 'Bot Bot',
        patientPhone: phone,
        startsAt: '2026-03-06T09:00:00Z',
      },
    });
    expect(staff.status).toBe(201);
    const raised = await app.request('PATCH', '/v1/tenants/me', {
      key: b.clinic.key,
      body: { config: { selfServiceUpcomingPerPhone: 3 } },
    });
    expect(raised.status, raised.text).toBe(200);
    const third = await book(b.slug, {
      serviceTypeId: b.consulta.id,
      startsAt: '2026-03-05T16:00:00Z',
      patientName: 'Bot Bot',
      patientPhone: phone,
    });
    expect(third.status).toBe(201);
  });

  it('one address makes a bounded number of booking attempts per hour (429 + Retry-After)', async () => {
    const limited = await startTestApp({ rateLimits: { bookingsPerIpPerHour: 3 } });
    try {
      const b = await bookingClinic(limited);
      const attempt = (i: number) =>
        limited.request('POST', `/booking/${b.slug}/api/appointments`, {
          body: {
            serviceTypeId: b.consulta.id,
            startsAt: `2026-03-04T1${i}:00:00Z`,
            patientName: `Visitante ${i}`,
            patientPhone: `+35191200010${i}`,
          },
        });
      for (const i of [0, 1, 2]) expect((await attempt(i)).status).toBe(201);
      const refused = await attempt(3);
      expect(refused.status).toBe(429);
      expect(refused.body).toMatchObject({ error: 'rate_limit_exceeded', requestId: expect.any(String) });
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      limited.setNow(limited.now() + 61 * 60_000);
      expect((await attempt(4)).status).not.toBe(429);
    } finally {
      await limited.close();
    }
  });
});
