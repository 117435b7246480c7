import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import { appointmentBody, setupClinic } from '../support/factories.js';
import type { TestApp } from '../support/types.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

describe('/v1/webhooks', () => {
  it('creates an endpoint with a secret shown once; lists, patches and removes it', async () => {
    const clinic = await app.createClinic();
    const created = await app.request('POST', '/v1/webhooks', {
      key: clinic.key,
      body: { url: 'https://pms.example.com/hooks', events: ['appointment.created'], description: 'PMS' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      url: 'https://pms.example.com/hooks',
      events: ['appointment.created'],
      active: true,
    });
    expect(created.body.secret).toMatch(/^whsec_[\w-]{43}$/);
    const list = await app.request('GET', '/v1/webhooks', { key: clinic.key });
    expect(list.body.items).toHaveLength(1);
    expect(list.text).not.toContain(created.body.secret);
    const patched = await app.request('PATCH', `/v1/webhooks/${created.body.id}`, {
      key: clinic.key,
      body: { events: ['*'] },
    });
    expect(patched.body.events).toEqual(['*']);
    expect((await app.request('DELETE', `/v1/webhooks/${created.body.id}`, { key: clinic.key })).status).toBe(
      204,
    );
    expect((await app.request('GET', `/v1/webhooks/${created.body.id}`, { key: clinic.key })).status).toBe(
      404,
    );
  });

  it.each([
    [{ url: 'http://pms.example.com/hooks' }, 'plain http to another host'],
    [{ url: 'https://user:pw@pms.example.com/' }, 'credentials in the URL'],
    [{ url: 'not a url' }, 'not a URL'],
    [{ url: 'https://pms.example.com/', events: ['appointment.exploded'] }, 'unknown event'],
    [{ url: 'https://pms.example.com/', secret: 'mine' }, 'unknown field'],
  ] as [Record<string, unknown>, string][])('422 for %j (%s)', async (body) => {
    const clinic = await app.createClinic();
    const reply = await app.request('POST', '/v1/webhooks', { key: clinic.key, body });
    expect(reply.status).toBe(422);
    expect(reply.body.error).toBe('validation_failed');
  });

  it('queues one delivery per event in the same unit as the change', async () => {
    const s = await setupClinic(app);
    const hook = await app.request('POST', '/v1/webhooks', {
      key: s.clinic.key,
      body: { url: 'https://pms.example.invalid/hooks' },
    });
    const booked = await app.request('POST', '/v1/appointments', {
      key: s.clinic.key,
      body: appointmentBody(s, '2026-05-14T10:00:00Z'),
    });
    await app.request('POST', `/v1/appointments/${booked.body.id}/cancel`, {
      key: s.clinic.key,
      body: { reason: 'x' },
    });
    const log = await app.request('GET', `/v1/webhooks/${hook.body.id}/deliveries`, { key: s.clinic.key });
    expect(log.body.items.map((d: { eventType: string }) => d.eventType)).toEqual([
      'appointment.cancelled',
      'appointment.created',
    ]);
    const rows = await app.sql(
      'SELECT payload FROM webhook_deliveries WHERE tenant_id = ?',
      s.clinic.tenantId,
    );
    expect(rows.map((r) => JSON.parse(String(r.payload)).data.appointment.id)).toEqual([
      booked.body.id,
      booked.body.id,
    ]);
  });
});
