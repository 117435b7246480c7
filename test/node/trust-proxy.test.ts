// Per-address limits behind a reverse proxy, over real HTTP: the proxy's X-Forwarded-For names the
// visitor only when TRUST_PROXY says so.
import { expect, it } from 'vitest';
import { bookingClinic } from '../support/booking.js';
import { startTestApp } from '../support/node-harness.js';

const attempt = (
  app: Awaited<ReturnType<typeof startTestApp>>,
  slug: string,
  body: object,
  visitor: string,
) =>
  app.request('POST', `/booking/${slug}/api/appointments`, { body, headers: { 'X-Forwarded-For': visitor } });

it('behind a trusted proxy each visitor has a budget; without trust a forged header changes nothing', async () => {
  for (const trusted of [true, false]) {
    const app = await startTestApp({
      rateLimits: { bookingsPerIpPerHour: 1 },
      trustProxy: trusted ? { hops: 1 } : undefined,
    });
    try {
      const b = await bookingClinic(app);
      const body = (hour: number, phone: string) => ({
        serviceTypeId: b.consulta.id,
        startsAt: `2026-03-04T${hour}:00:00Z`,
        patientName: 'Visitante',
        patientPhone: phone,
      });
      expect((await attempt(app, b.slug, body(10, '+351912000201'), '198.51.100.1')).status).toBe(201);
      const second = await attempt(app, b.slug, body(11, '+351912000202'), '198.51.100.2');
      expect(second.status).toBe(trusted ? 201 : 429);
    } finally {
      await app.close();
    }
  }
});
