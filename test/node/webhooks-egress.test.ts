// Issue 10, finding 1 (SSRF through outbound webhooks) with a real listener on 127.0.0.1: without
// WEBHOOKS_ALLOW_PRIVATE_TARGETS nothing reaches it, neither through registration (every spelling of
// loopback) nor through a URL written past it (a name resolving to 127.0.0.1 is refused when
// connecting, after DNS). With the opt-in the same listener is reached: the test can fail.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import { appointmentBody, setupClinic } from '../support/factories.js';
import type { TestApp } from '../support/types.js';

let closed: TestApp;
let open: TestApp;
let server: Server;
let port = 0;
const hits: string[] = [];

beforeAll(async () => {
  closed = await startTestApp();
  open = await startTestApp({ allowPrivateTargets: true });
  server = createServer((req, res) => {
    hits.push(req.url ?? '');
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
});
afterAll(async () => {
  await new Promise((done) => server.close(done));
  await closed.close();
  await open.close();
});

const spellings = () => [
  `http://127.0.0.1:${port}/a`,
  `http://localhost:${port}/b`,
  `http://[::1]:${port}/c`,
  `http://2130706433:${port}/d`,
  `http://0x7f000001:${port}/e`,
  `http://0177.0.0.1:${port}/f`,
  `http://127.1:${port}/g`,
  `http://[::ffff:127.0.0.1]:${port}/h`,
  `http://0.0.0.0:${port}/i`,
  `https://127.0.0.1:${port}/j`,
  `https://localhost.:${port}/k`,
  `https://app.localhost:${port}/l`,
];

async function book(app: TestApp, s: Awaited<ReturnType<typeof setupClinic>>, at: string) {
  const reply = await app.request('POST', '/v1/appointments', {
    key: s.clinic.key,
    body: appointmentBody(s, at),
  });
  expect(reply.status).toBe(201);
}

describe('webhook targets on this machine', () => {
  it('refuses every spelling of loopback at registration; a booking then sends nothing', async () => {
    const s = await setupClinic(closed);
    for (const url of spellings()) {
      const reply = await closed.request('POST', '/v1/webhooks', { key: s.clinic.key, body: { url } });
      expect(reply.status, url).toBe(422);
      expect(reply.body.errors[0].path).toBe('url');
    }
    await book(closed, s, '2026-05-14T10:00:00Z');
    await closed.runScheduledJobs();
    expect(hits).toEqual([]);
  });

  it('refuses at send time a name that resolves to 127.0.0.1 and a loopback literal written past registration', async () => {
    const s = await setupClinic(closed);
    const ids: Record<string, string> = {};
    for (const [name, url] of [
      ['name', `http://localhost:${port}/by-name`],
      ['literal', `http://127.0.0.1:${port}/by-literal`],
    ] as const) {
      const hook = await closed.request('POST', '/v1/webhooks', {
        key: s.clinic.key,
        body: { url: 'https://pms.example.com/hooks' },
      });
      ids[name] = hook.body.id;
      // As if the registration check had been fooled (a name that resolved elsewhere back then).
      await closed.exec(`UPDATE webhook_endpoints SET url = '${url}' WHERE id = '${hook.body.id}'`);
    }
    await book(closed, s, '2026-05-15T10:00:00Z');
    await closed.runScheduledJobs();
    const lastError = async (id: string) =>
      (await closed.request('GET', `/v1/webhooks/${id}/deliveries`, { key: s.clinic.key })).body.items[0]
        ?.lastError as string | undefined;
    await expect.poll(() => lastError(ids.name!)).toMatch(/localhost: resolves to 127\.0\.0\.1 \(loopback\)/);
    await expect.poll(() => lastError(ids.literal!)).toMatch(/127\.0\.0\.1: loopback/);
    expect(hits).toEqual([]);
  });

  it('reaches the same listener when private targets are allowed (development, tests)', async () => {
    const s = await setupClinic(open);
    for (const url of [`http://localhost:${port}/open-name`, `http://127.0.0.1:${port}/open-literal`]) {
      const reply = await open.request('POST', '/v1/webhooks', { key: s.clinic.key, body: { url } });
      expect(reply.status).toBe(201);
    }
    await book(open, s, '2026-05-16T10:00:00Z');
    await expect.poll(() => [...hits].sort()).toEqual(['/open-literal', '/open-name']);
  });
});
