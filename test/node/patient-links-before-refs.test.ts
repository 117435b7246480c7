// Links sent before they led with the clinic's reference: the 48-character token alone. Patients
// still hold them in their messages, so they keep opening on Node, where every clinic shares one
// database (on Workers there were no such links: the Worker routes a link by its reference).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import { bookedWithLink } from '../support/booking.js';
import type { TestApp } from '../support/types.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

it('a 48-character link opens its page and its actions, and still only for its own appointment', async () => {
  const { path } = await bookedWithLink(app);
  const token = path.slice('/a/'.length);
  expect(token).toHaveLength(64);
  // The old token is the new one without the reference in front: the same signature and cipher.
  const old = `/a/${token.slice(16)}`;
  const page = await app.request('GET', old);
  expect(page.status).toBe(200);
  expect(page.text).toContain('Consulta de rotina');
  const confirmed = await app.request('POST', `${old}/api/confirm`, {
    body: {},
    headers: { 'Idempotency-Key': crypto.randomUUID() },
  });
  expect(confirmed.status).toBe(200);
  expect(confirmed.body.state).toBe('confirmed');
  // A changed byte still fails.
  const flipped = `/a/${token.slice(16, 40)}${token[40] === 'A' ? 'B' : 'A'}${token.slice(41)}`;
  expect((await app.request('GET', flipped)).status).toBe(404);
});
