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

  // Finding 1 of issue 10: every spelling of loopback, the metadata address, private and special
  // ranges, and local names. The URL parser folds some spellings (2130706433 is 127.0.0.1), not all.
  const NON_PUBLIC = [
    'http://127.0.0.1:8080/hooks',
    'https://127.0.0.1/hooks',
    'https://localhost/hooks',
    'http://localhost:8080/',
    'https://[::1]/',
    'https://2130706433/',
    'https://0x7f000001/',
    'https://0177.0.0.1/',
    'https://127.1/',
    'https://[::ffff:127.0.0.1]/',
    'https://[0:0:0:0:0:ffff:7f00:1]/',
    'https://0.0.0.0/',
    'https://0/',
    'https://169.254.169.254/latest/meta-data/',
    'https://10.1.2.3/',
    'https://172.16.0.1/',
    'https://172.31.255.254/',
    'https://192.168.0.10/',
    'https://100.64.0.1/',
    'https://[fd00::1]/',
    'https://[fc00::1]/',
    'https://[fe80::1]/',
    'https://224.0.0.1/',
    'https://[ff02::1]/',
    'https://[64:ff9b::7f00:1]/',
    'https://[2002:7f00:1::]/',
    'https://app.localhost/',
    'https://printer.local/',
    'https://intranet/',
  ];

  it.each(NON_PUBLIC)('refuses the non-public target %s with 422 on url', async (url) => {
    const clinic = await app.createClinic();
    const reply = await app.request('POST', '/v1/webhooks', { key: clinic.key, body: { url } });
    expect(reply.status).toBe(422);
    expect(reply.body).toMatchObject({ error: 'validation_failed', errors: [{ path: 'url' }] });
  });

  it('refuses a change of URL to a non-public target, and keeps the old URL', async () => {
    const clinic = await app.createClinic();
    const created = await app.request('POST', '/v1/webhooks', {
      key: clinic.key,
      body: { url: 'https://pms.example.com/hooks' },
    });
    expect(created.status).toBe(201);
    for (const url of ['https://169.254.169.254/', 'https://[::ffff:10.0.0.1]/', 'https://0x7f.1/']) {
      const reply = await app.request('PATCH', `/v1/webhooks/${created.body.id}`, {
        key: clinic.key,
        body: { url },
      });
      expect(reply.status).toBe(422);
      expect(reply.body.errors[0].path).toBe('url');
    }
    const got = await app.request('GET', `/v1/webhooks/${created.body.id}`, { key: clinic.key });
    expect(got.body.url).toBe('https://pms.example.com/hooks');
  });

  it('refuses to send to a private literal written past the registration check', async () => {
    const s = await setupClinic(app);
    const hook = await app.request('POST', '/v1/webhooks', {
      key: s.clinic.key,
      body: { url: 'https://pms.example.com/hooks' },
    });
    await app.exec(
      `UPDATE webhook_endpoints SET url = 'http://127.0.0.1:9/hooks' WHERE id = '${hook.body.id}'`,
    );
    await app.request('POST', '/v1/appointments', {
      key: s.clinic.key,
      body: appointmentBody(s, '2026-05-20T10:00:00Z'),
    });
    await app.runScheduledJobs();
    const log = await app.request('GET', `/v1/webhooks/${hook.body.id}/deliveries`, { key: s.clinic.key });
    expect(log.body.items[0]).toMatchObject({ attempts: 1, lastStatusCode: null });
    expect(log.body.items[0].lastError).toMatch(/Refused to connect to 127\.0\.0\.1: loopback/);
  });

  it('allows at most 16 endpoints per clinic, with a clear 409', async () => {
    const clinic = await app.createClinic();
    const make = (i: number) =>
      app.request('POST', '/v1/webhooks', { key: clinic.key, body: { url: `https://pms.example.com/${i}` } });
    for (let i = 0; i < 16; i++) expect((await make(i)).status).toBe(201);
    const over = await make(16);
    expect(over.status).toBe(409);
    expect(over.body.error).toBe('webhook_endpoint_limit');
    expect(over.body.message).toMatch(/at most 16/);
    // Removing one makes room again; another clinic has its own 16.
    const first = (await app.request('GET', '/v1/webhooks', { key: clinic.key })).body.items[0];
    await app.request('DELETE', `/v1/webhooks/${first.id}`, { key: clinic.key });
    expect((await make(17)).status).toBe(201);
    const other = await app.createClinic();
    const theirs = await app.request('POST', '/v1/webhooks', {
      key: other.key,
      body: { url: 'https://pms.example.com/x' },
    });
    expect(theirs.status).toBe(201);
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
