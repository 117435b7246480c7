// Issue 10, finding 3: one clinic's endpoints that never answer must not hold up another clinic's
// webhooks. Clinic A fills its 16 endpoints with a listener that accepts and never responds; clinic B
// books and must be delivered while A's attempts are still hanging (before any of them times out),
// in a time of the same order as without A's load.
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import { appointmentBody, setupClinic } from '../support/factories.js';
import type { TestApp } from '../support/types.js';

let app: TestApp;
let silent: Server;
let receiver: Server;
const sockets = new Set<Socket>();
let hanging = 0;
const arrivals = new Map<string, number>();
let silentBase = '';
let receiverBase = '';

const listen = async (server: Server) => {
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
};

beforeAll(async () => {
  // Clinic A's endpoints never answer: its delivery runs hang past the requests on purpose.
  app = await startTestApp({ allowPrivateTargets: true, awaitAfterAnswer: false });
  // Takes the request and never answers.
  silent = createServer(() => {
    hanging++;
  });
  silent.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      arrivals.set(req.url ?? '', performance.now());
      res.writeHead(204).end();
    });
  });
  silentBase = await listen(silent);
  receiverBase = await listen(receiver);
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((done) => silent.close(done));
  await new Promise((done) => receiver.close(done));
  await app.close();
});

async function subscribe(key: string, url: string) {
  const reply = await app.request('POST', '/v1/webhooks', { key, body: { url } });
  expect(reply.status).toBe(201);
}

/** Books for B and waits for its event at `path`; the time from the booking to the arrival. */
async function deliveredToB(b: Awaited<ReturnType<typeof setupClinic>>, path: string, at: string) {
  const start = performance.now();
  await app.request('POST', '/v1/appointments', { key: b.clinic.key, body: appointmentBody(b, at) });
  await expect.poll(() => arrivals.has(path), { timeout: 20_000, interval: 20 }).toBe(true);
  return arrivals.get(path)! - start;
}

describe('webhook delivery is fair across clinics', () => {
  it("delivers clinic B's event while clinic A's 16 never-answering endpoints hang", async () => {
    const a = await setupClinic(app);
    const b = await setupClinic(app);
    await subscribe(b.clinic.key, `${receiverBase}/b-before`);
    const alone = await deliveredToB(b, '/b-before', '2026-05-14T09:00:00Z');

    await app.request(
      'DELETE',
      `/v1/webhooks/${(await app.request('GET', '/v1/webhooks', { key: b.clinic.key })).body.items[0].id}`,
      {
        key: b.clinic.key,
      },
    );
    await subscribe(b.clinic.key, `${receiverBase}/b-during`);
    for (let i = 0; i < 16; i++) await subscribe(a.clinic.key, `${silentBase}/a-${i}`);
    await app.request('POST', '/v1/appointments', {
      key: a.clinic.key,
      body: appointmentBody(a, '2026-05-14T10:00:00Z'),
    });
    // A's attempts are on the wire and hanging before B books.
    await expect.poll(() => hanging, { interval: 20 }).toBeGreaterThan(0);
    const loaded = await deliveredToB(b, '/b-during', '2026-05-14T11:00:00Z');

    // B did not wait for A: none of A's attempts has finished (they time out after 10 s).
    const finished = await app.sql(
      'SELECT COUNT(*) AS n FROM webhook_deliveries WHERE tenant_id = ? AND attempts > 0',
      a.clinic.tenantId,
    );
    expect(finished[0]!.n).toBe(0);
    // And A holds only a few slots at a time, not the whole runner.
    expect(hanging).toBeLessThanOrEqual(4);
    // Generous bound against timing noise: same order as without A's load (209 ms vs > 10 s before).
    expect(loaded).toBeLessThan(Math.max(alone * 20, 3_000));
  });
});
