// A sandbox's webhook events never leave the service: a real receiver on 127.0.0.1, subscribed by
// the clinic's live key and by its test key, hears the live booking and nothing of the sandbox's,
// while the sandbox's delivery log shows the event that would have been sent.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import { appointmentBody, createProfessional, createService } from '../support/factories.js';
import type { Clinic, TestApp } from '../support/types.js';

let app: TestApp;
let server: Server;
let base: string;
const received: { path: string; body: { type: string; tenantId: string } }[] = [];

beforeAll(async () => {
  // The receiver is on 127.0.0.1: a private target, allowed only by this explicit opt-in.
  app = await startTestApp({ allowPrivateTargets: true });
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => {
      raw += chunk;
    });
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: JSON.parse(raw) });
      res.writeHead(204).end();
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

async function book(clinic: Clinic) {
  const ids = {
    professional: await createProfessional(app, clinic),
    service: await createService(app, clinic),
  };
  const reply = await app.request('POST', '/v1/appointments', {
    key: clinic.key,
    body: appointmentBody(ids, '2026-03-03T10:00:00Z'),
  });
  expect(reply.status, reply.text).toBe(201);
  return reply.body.id as string;
}

describe('sandbox webhooks', () => {
  it('are recorded and never sent; the live clinic’s still are', async () => {
    const live = await app.createClinic();
    const made = await app.createKey(live.tenantId, ['*'], { mode: 'test' });
    const sandboxId = (await app.request('GET', '/v1/tenants/me', { key: made.key })).body.id as string;
    const test: Clinic = { tenantId: sandboxId, key: made.key, keyId: made.keyId };
    const subscribe = async (clinic: Clinic, path: string) => {
      const reply = await app.request('POST', '/v1/webhooks', {
        key: clinic.key,
        body: { url: `${base}${path}` },
      });
      expect(reply.status, reply.text).toBe(201);
      return reply.body.id as string;
    };
    const sandboxHook = await subscribe(test, '/sandbox');
    await subscribe(live, '/live');

    const sandboxBooking = await book(test);
    const liveBooking = await book(live);
    for (let i = 0; i < 3; i++) await app.runScheduledJobs();

    expect(received.filter((r) => r.path === '/sandbox')).toEqual([]);
    expect(received.every((r) => r.body.tenantId === live.tenantId)).toBe(true);
    const liveEvents = received.filter((r) => r.path === '/live').map((r) => r.body.type);
    expect(liveEvents).toContain('appointment.created');

    const log = await app.request('GET', `/v1/webhooks/${sandboxHook}/deliveries`, { key: test.key });
    expect(log.body.items.map((d: { status: string }) => d.status)).toEqual(['simulated']);
    expect(log.body.items[0].event.data.appointment.id).toBe(sandboxBooking);
    expect(JSON.stringify(log.body)).not.toContain(liveBooking);
  });
});
