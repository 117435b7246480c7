// Deeply nested input never reaches a recursive walk: metadata is a flat map of scalars (as Stripe's),
// and bodies nested thousands deep are answered 4xx in the envelope, never 500 (stack overflow).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import { bookingClinic } from '../support/booking.js';
import { appointmentBody } from '../support/factories.js';
import type { TestApp } from '../support/types.js';
import { voiceClinic } from '../support/voice.js';

const SECRET = 'nested-input-vapi-secret-0123456789abc';
let app: TestApp;
let v: Awaited<ReturnType<typeof voiceClinic>>;
beforeAll(async () => {
  app = await startTestApp();
  v = await voiceClinic(app, 'vapi', { secret: SECRET });
});
afterAll(() => app.close());

const deepObject = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const deepArray = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
let slot = 0;
/** A fresh bookable slot each time (weekdays 09:00–13:00 Lisbon, from Tuesday 3 March 2026). */
const body = () => {
  const n = slot++;
  const day = 3 + Math.floor(n / 8);
  const minutes = 9 * 60 + (n % 8) * 30;
  const at = `2026-03-${String(day).padStart(2, '0')}T${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:00Z`;
  return appointmentBody({ professional: v.ana, service: v.consulta }, at);
};
const withMetadata = (metadata: string) =>
  JSON.stringify({ ...body(), metadata: '@@' }).replace('"@@"', metadata);

const expectRefused = (reply: { status: number; body: any; text: string }, status: number) => {
  expect(reply.status, reply.text.slice(0, 300)).toBe(status);
  expect(reply.body).toMatchObject({ error: expect.any(String), requestId: expect.any(String) });
};

describe('metadata is flat: string keys ≤ 40, scalar values (strings ≤ 500), ≤ 50 keys', () => {
  it('accepts scalars and returns them', async () => {
    const metadata = { pmsId: 'A-1', visits: 3, vip: true, note: 'x'.repeat(500) };
    const reply = await app.request('POST', '/v1/appointments', {
      key: v.clinic.key,
      body: { ...body(), metadata },
    });
    expect(reply.status, reply.text).toBe(201);
    expect(reply.body.metadata).toEqual(metadata);
  });

  it.each([
    ['a nested object', { a: { b: 1 } }],
    ['an array', { a: [1, 2] }],
    ['a 41-character key', { ['k'.repeat(41)]: 1 }],
    ['a 501-character value', { a: 'x'.repeat(501) }],
    ['51 keys', Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i]))],
  ])('refuses %s with 422', async (_, metadata) => {
    const reply = await app.request('POST', '/v1/appointments', {
      key: v.clinic.key,
      body: { ...body(), metadata },
    });
    expectRefused(reply, 422);
    expect(reply.body.errors[0].path).toMatch(/^metadata/);
  });

  it('refuses metadata 5,000 objects deep with 422 on create and on change, never 500', async () => {
    const create = await app.request('POST', '/v1/appointments', {
      key: v.clinic.key,
      body: withMetadata(deepObject(5000)),
    });
    expectRefused(create, 422);
    const booked = await app.request('POST', '/v1/appointments', {
      key: v.clinic.key,
      body: body(),
    });
    const patch = await app.request('PATCH', `/v1/appointments/${booked.body.id}`, {
      key: v.clinic.key,
      body: `{"metadata":${deepObject(5000)}}`,
    });
    expectRefused(patch, 422);
  });
});

describe('bodies nested 5,000 deep are refused, never 500', () => {
  it.each([
    ['POST', '/v1/appointments'],
    ['POST', '/v1/professionals'],
    ['PATCH', '/v1/tenants/me'],
  ])('%s %s', async (method, path) => {
    for (const body of [deepArray(5000), deepObject(5000)]) {
      const reply = await app.request(method, path, { key: v.clinic.key, body });
      expect(reply.status, reply.text.slice(0, 300)).toBeGreaterThanOrEqual(400);
      expect(reply.status).toBeLessThan(500);
    }
  });

  it('voice tool arguments nested 5,000 deep are refused, never 500', async () => {
    for (const args of [deepArray(5000), deepObject(5000)]) {
      const body = `{"message":{"type":"tool-calls","call":{"id":"deep-${args.length}-${args[0]}"},"toolCallList":[{"id":"t1","type":"function","function":{"name":"check_availability","arguments":${args}}}]}}`;
      const reply = await app.request('POST', v.path, {
        body,
        headers: { 'content-type': 'application/json', 'x-vapi-secret': SECRET },
      });
      expectRefused(reply, 422);
    }
  });

  it('voice tool arguments sent as a JSON string nested 5,000 deep get a tool error, never 500', async () => {
    const args = JSON.stringify(deepArray(5000));
    const body = `{"message":{"type":"tool-calls","call":{"id":"deep-string"},"toolCallList":[{"id":"t2","type":"function","function":{"name":"check_availability","arguments":${args}}}]}}`;
    const reply = await app.request('POST', v.path, {
      body,
      headers: { 'content-type': 'application/json', 'x-vapi-secret': SECRET },
    });
    expect(reply.status, reply.text.slice(0, 300)).toBe(200);
    expect(JSON.stringify(reply.body)).toMatch(/nested too deeply/);
  });

  it('the booking page refuses a body nested 5,000 deep', async () => {
    const b = await bookingClinic(app);
    for (const body of [deepArray(5000), deepObject(5000)]) {
      const reply = await app.request('POST', `/booking/${b.slug}/api/appointments`, { body });
      expect(reply.status, reply.text.slice(0, 300)).toBeGreaterThanOrEqual(400);
      expect(reply.status).toBeLessThan(500);
    }
  });
});
