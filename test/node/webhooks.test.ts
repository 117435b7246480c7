// Outbound webhooks end to end: a real receiver on 127.0.0.1 that checks every signature itself.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import { appointmentBody, setupClinic } from '../support/factories.js';
import type { TestApp } from '../support/types.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

interface Received {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: any;
  raw: string;
}

let app: TestApp;
let server: Server;
let base: string;
const received: Received[] = [];
/** Per path: how many requests to fail with 500 before answering 204. */
const failFirst = new Map<string, number>();

beforeAll(async () => {
  // The receiver is on 127.0.0.1: a private target, allowed only by this explicit opt-in.
  app = await startTestApp({ allowPrivateTargets: true });
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => {
      raw += chunk;
    });
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(raw), raw });
      const left = failFirst.get(req.url ?? '') ?? 0;
      if (left > 0) {
        failFirst.set(req.url ?? '', left - 1);
        res.writeHead(500).end();
      } else res.writeHead(204).end();
    });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(async () => {
  await new Promise((done) => server.close(done));
  await app.close();
});

/** The receiver's check, as a PMS would write it from Mivicall's quickstart. */
function verify(secret: string, header: string, raw: string, now: number): boolean {
  const parts = header.split(',').map((p) => p.split('='));
  const t = parts.find(([k]) => k === 't')?.[1];
  if (!t || Math.abs(now / 1000 - Number(t)) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${raw}`).digest();
  return parts
    .filter(([k]) => k === 'v1')
    .some(([, hex]) => {
      const got = Buffer.from(hex ?? '', 'hex');
      return got.length === expected.length && timingSafeEqual(got, expected);
    });
}

async function subscribe(key: string, path: string, events?: string[]) {
  const reply = await app.request('POST', '/v1/webhooks', { key, body: { url: `${base}${path}`, events } });
  expect(reply.status).toBe(201);
  return reply.body as { id: string; secret: string };
}

const at = (path: string) => received.filter((r) => r.path === path);

describe('outbound webhooks', () => {
  it('signs and delivers each appointment change, in the Mivicall signature format', async () => {
    const s = await setupClinic(app);
    const hook = await subscribe(s.clinic.key, '/all');
    const created = await app.request('POST', '/v1/appointments', {
      key: s.clinic.key,
      body: appointmentBody(s, '2026-05-14T10:00:00+01:00'),
    });
    const id = created.body.id;
    await app.request('PATCH', `/v1/appointments/${id}`, {
      key: s.clinic.key,
      body: { startsAt: '2026-05-14T11:00:00+01:00' },
    });
    await app.request('POST', `/v1/appointments/${id}/attend`, { key: s.clinic.key });
    await expect.poll(() => at('/all').length).toBe(3);
    const [first, moved, attended] = at('/all');
    for (const r of at('/all')) {
      expect(verify(hook.secret, String(r.headers['x-agendai-signature']), r.raw, app.now())).toBe(true);
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['x-agendai-event']).toBe(r.body.type);
      expect(r.raw).not.toContain('912345678');
    }
    expect(first!.body).toMatchObject({
      id: expect.stringMatching(/^evt_/),
      type: 'appointment.created',
      tenantId: s.clinic.tenantId,
      data: { appointment: created.body },
    });
    expect(moved!.body).toMatchObject({
      type: 'appointment.rescheduled',
      data: {
        appointment: { id, status: 'rescheduled' },
        changes: { startsAt: { from: '2026-05-14T10:00:00+01:00', to: '2026-05-14T11:00:00+01:00' } },
      },
    });
    expect(attended!.body.type).toBe('appointment.attended');
    // A tampered body does not verify.
    expect(
      verify(
        hook.secret,
        String(first!.headers['x-agendai-signature']),
        first!.raw.replace('confirmed', 'cancelled'),
        app.now(),
      ),
    ).toBe(false);
  });

  it('sends only the events an endpoint asked for, and nothing for refused or replayed writes', async () => {
    const s = await setupClinic(app);
    await subscribe(s.clinic.key, '/cancels', ['appointment.cancelled']);
    await subscribe(s.clinic.key, '/creates', ['appointment.created']);
    const body = appointmentBody(s, '2026-05-15T10:00:00Z');
    const a = await app.request('POST', '/v1/appointments', {
      key: s.clinic.key,
      body,
      headers: { 'Idempotency-Key': 'once' },
    });
    await app.request('POST', '/v1/appointments', {
      key: s.clinic.key,
      body,
      headers: { 'Idempotency-Key': 'once' },
    });
    expect((await app.request('POST', '/v1/appointments', { key: s.clinic.key, body })).status).toBe(409);
    await app.request('DELETE', `/v1/appointments/${a.body.id}`, { key: s.clinic.key });
    await app.request('DELETE', `/v1/appointments/${a.body.id}`, { key: s.clinic.key });
    await expect.poll(() => at('/cancels').length + at('/creates').length).toBe(2);
    await app.runScheduledJobs();
    expect(at('/creates').map((r) => r.body.type)).toEqual(['appointment.created']);
    expect(at('/cancels').map((r) => r.body.type)).toEqual(['appointment.cancelled']);
  });

  it('retries a failing endpoint with backoff until it answers 2xx', async () => {
    const s = await setupClinic(app);
    const hook = await subscribe(s.clinic.key, '/flaky');
    failFirst.set('/flaky', 2);
    await app.request('POST', '/v1/appointments', {
      key: s.clinic.key,
      body: appointmentBody(s, '2026-05-16T10:00:00Z'),
    });
    await expect.poll(() => at('/flaky').length).toBe(1);
    const start = app.now();
    try {
      app.setNow(start + 10_000);
      expect(
        (await app.runScheduledJobs()).webhooks.retried + (await app.runScheduledJobs()).webhooks.delivered,
      ).toBe(0);
      app.setNow(start + 31_000);
      expect((await app.runScheduledJobs()).webhooks.retried).toBe(1);
      app.setNow(start + 31_000 + 121_000);
      expect((await app.runScheduledJobs()).webhooks.delivered).toBe(1);
    } finally {
      app.setNow(start);
    }
    expect(at('/flaky')).toHaveLength(3);
    expect(new Set(at('/flaky').map((r) => r.headers['x-agendai-event-id'])).size).toBe(1);
    const log = await app.request('GET', `/v1/webhooks/${hook.id}/deliveries`, { key: s.clinic.key });
    expect(log.body.items[0]).toMatchObject({
      status: 'delivered',
      attempts: 3,
      lastStatusCode: 204,
      eventType: 'appointment.created',
    });
  });

  it('reports the no-shows the timer marks', async () => {
    const s = await setupClinic(app);
    await subscribe(s.clinic.key, '/pms');
    await app.request('POST', '/v1/appointments', {
      key: s.clinic.key,
      body: appointmentBody(s, '2026-03-02T10:00:00Z'),
    });
    // Let the delivery started by the write finish before time jumps past its lease.
    await expect.poll(() => at('/pms').length).toBe(1);
    const start = app.now();
    try {
      app.setNow(Date.parse('2026-03-02T12:00:00Z'));
      await app.runScheduledJobs();
    } finally {
      app.setNow(start);
    }
    await expect
      .poll(() => at('/pms').map((r) => r.body.type))
      .toEqual(['appointment.created', 'appointment.no_show']);
    expect(at('/pms')[1]!.body.data).toMatchObject({
      appointment: { status: 'no_show' },
      changes: { status: { from: 'confirmed', to: 'no_show' } },
    });
  });

  it('signs with both secrets for a day after a rotation', async () => {
    const s = await setupClinic(app);
    const hook = await subscribe(s.clinic.key, '/rotating');
    const rotated = await app.request('POST', `/v1/webhooks/${hook.id}/rotate-secret`, { key: s.clinic.key });
    expect(rotated.body.secret).not.toBe(hook.secret);
    await app.request('POST', '/v1/appointments', {
      key: s.clinic.key,
      body: appointmentBody(s, '2026-05-17T10:00:00Z'),
    });
    await expect.poll(() => at('/rotating').length).toBe(1);
    const [delivery] = at('/rotating');
    const header = String(delivery!.headers['x-agendai-signature']);
    expect(header.match(/v1=/g)).toHaveLength(2);
    expect(verify(hook.secret, header, delivery!.raw, app.now())).toBe(true);
    expect(verify(rotated.body.secret, header, delivery!.raw, app.now())).toBe(true);
  });

  it("never sends one clinic's events to another clinic's endpoint; parallel runners deliver once", async () => {
    const a = await setupClinic(app);
    const b = await setupClinic(app);
    await subscribe(b.clinic.key, '/other-clinic');
    await subscribe(a.clinic.key, '/mine');
    const bookings = Array.from({ length: 10 }, (_, i) =>
      app.request('POST', '/v1/appointments', {
        key: a.clinic.key,
        body: appointmentBody(a, `2026-05-18T${String(8 + i).padStart(2, '0')}:00:00Z`),
      }),
    );
    await Promise.all(bookings);
    await Promise.all([app.runScheduledJobs(), app.runScheduledJobs(), app.runScheduledJobs()]);
    await expect.poll(() => at('/mine').length).toBe(10);
    await app.runScheduledJobs();
    expect(at('/mine')).toHaveLength(10);
    expect(new Set(at('/mine').map((r) => r.headers['x-agendai-delivery'])).size).toBe(10);
    expect(at('/other-clinic')).toHaveLength(0);
  });

  it('disables an endpoint whose every attempt fails for 3 days, tells the others, and PATCH enables it', async () => {
    const s = await setupClinic(app);
    const down = await subscribe(s.clinic.key, '/down');
    await subscribe(s.clinic.key, '/watcher');
    failFirst.set('/down', 1_000);
    const start = app.now();
    const bookAt = async (offset: number, hour: number) => {
      app.setNow(start + offset);
      const reply = await app.request('POST', '/v1/appointments', {
        key: s.clinic.key,
        body: appointmentBody(s, `2026-06-0${hour}T10:00:00Z`),
      });
      expect(reply.status).toBe(201);
      await app.runScheduledJobs();
    };
    try {
      await bookAt(0, 1);
      await expect.poll(() => at('/down').length).toBe(1);
      await bookAt(DAY, 2);
      await expect.poll(() => at('/down').length).toBe(2);
      let hook = await app.request('GET', `/v1/webhooks/${down.id}`, { key: s.clinic.key });
      expect(hook.body).toMatchObject({ status: 'enabled', disabledAt: null });
      // Three days after the first failure, still failing: disabled.
      await bookAt(3 * DAY + MINUTE, 3);
      await expect.poll(() => at('/down').length).toBe(3);
      hook = await app.request('GET', `/v1/webhooks/${down.id}`, { key: s.clinic.key });
      expect(hook.body).toMatchObject({ status: 'disabled', active: true });
      expect(hook.body.disabledAt).toEqual(expect.any(String));
      expect(hook.body.disabledReason).toMatch(/failed since/);
      await app.runScheduledJobs();
      await expect
        .poll(() => at('/watcher').filter((r) => r.body.type === 'webhook_endpoint.disabled').length)
        .toBe(1);
      const notice = at('/watcher').find((r) => r.body.type === 'webhook_endpoint.disabled')!;
      expect(notice.body.data.endpoint).toMatchObject({ id: down.id, reason: hook.body.disabledReason });
      // Nothing more is queued for it; the watcher still hears about appointments.
      await bookAt(3 * DAY + 2 * MINUTE, 4);
      await expect.poll(() => at('/watcher').length).toBe(5);
      expect(at('/down')).toHaveLength(3);
      // Enabled again: events flow once more.
      failFirst.set('/down', 0);
      const enabled = await app.request('PATCH', `/v1/webhooks/${down.id}`, {
        key: s.clinic.key,
        body: { status: 'enabled' },
      });
      expect(enabled.body).toMatchObject({ status: 'enabled', disabledAt: null, disabledReason: null });
      await bookAt(3 * DAY + 3 * MINUTE, 5);
      await expect.poll(() => at('/down').length).toBe(4);
    } finally {
      app.setNow(start);
    }
  });
});
