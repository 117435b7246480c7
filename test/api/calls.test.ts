// The calls API and call logs keep callers' numbers out of sight: a phone hash and a masked form
// instead of the number (unless the key names calls:read_phone), and numbers said aloud masked in the
// transcript in whatever shape speech-to-text wrote them, while times and prices stay readable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import type { TestApp } from '../support/types.js';
import { voiceClinic } from '../support/voice.js';

const SECRET = 'call-privacy-vapi-secret-0123456789abcd';
const CALLER = '+351934567812';
let app: TestApp;
let v: Awaited<ReturnType<typeof voiceClinic>>;
let callId: string;

const SAID = [
  'O meu número é 916,543,217.',
  'Ou então 916/543/217.',
  'Escreva: ９１６ ５４３ ２１７.',
  'Ou +351 934 567 812, ou 00351-934-567-812.',
  'Pode ser às 10:30 do dia 2026-03-10? Custa 45 € ou 1.250,00 €.',
];

beforeAll(async () => {
  app = await startTestApp();
  v = await voiceClinic(app, 'vapi', { secret: SECRET });
  const vapi = (message: Record<string, unknown>) =>
    app.request('POST', v.path, {
      headers: { 'x-vapi-secret': SECRET },
      body: { message: { call: { id: 'call-private', customer: { number: CALLER } }, ...message } },
    });
  expect((await vapi({ type: 'status-update', status: 'in-progress' })).status).toBe(200);
  const ended = await vapi({
    type: 'end-of-call-report',
    endedReason: 'customer-ended-call',
    artifact: { messages: SAID.map((message, i) => ({ role: 'user', message, secondsFromStart: i })) },
  });
  expect(ended.status, ended.text).toBe(200);
  const list = await app.request('GET', '/v1/calls', { key: v.clinic.key });
  callId = list.body.items[0].id;
});
afterAll(() => app.close());

const digitsOf = (text: string) => text.normalize('NFKC').replace(/\D/g, '');

describe('the calls API shows the caller without the number', () => {
  it('list and detail: phone hash and masked form, no fromNumber, for a key with every scope (*)', async () => {
    const list = await app.request('GET', '/v1/calls', { key: v.clinic.key });
    const detail = await app.request('GET', `/v1/calls/${callId}`, { key: v.clinic.key });
    for (const call of [list.body.items[0], detail.body.call]) {
      expect(call.fromNumberHash).toMatch(/^v\d+:[0-9a-f]{64}$/);
      expect(call.fromNumberMasked).toBe('+351 ••• ••• 812');
      expect(call).not.toHaveProperty('fromNumber');
    }
    for (const reply of [list, detail]) expect(digitsOf(reply.text)).not.toContain('934567');
  });

  it('the hash is the patient handle: the same hash the appointments API gives that number', async () => {
    const booked = await app.request('POST', '/v1/appointments', {
      key: v.clinic.key,
      body: {
        professionalId: v.ana.id,
        serviceTypeId: v.consulta.id,
        patientName: 'Rita',
        patientPhone: CALLER,
        startsAt: '2026-03-04T10:00:00Z',
      },
    });
    expect(booked.status, booked.text).toBe(201);
    const detail = await app.request('GET', `/v1/calls/${callId}`, { key: v.clinic.key });
    expect(detail.body.call.fromNumberHash).toBe(booked.body.patientPhoneHash);
  });

  it('the raw number only for a key that names calls:read_phone', async () => {
    const reader = await app.createKey(v.clinic.tenantId, ['calls:read', 'calls:read_phone']);
    const detail = await app.request('GET', `/v1/calls/${callId}`, { key: reader.key });
    expect(detail.body.call.fromNumber).toBe(CALLER);
    const list = await app.request('GET', '/v1/calls', { key: reader.key });
    expect(list.body.items[0].fromNumber).toBe(CALLER);
    const plain = await app.createKey(v.clinic.tenantId, ['calls:read']);
    const hidden = await app.request('GET', `/v1/calls/${callId}`, { key: plain.key });
    expect(hidden.body.call).not.toHaveProperty('fromNumber');
  });
});

describe('transcripts mask numbers in every shape, keeping times and prices', () => {
  it('commas, slashes, full-width digits, international and 00 forms are masked', async () => {
    const detail = await app.request('GET', `/v1/calls/${callId}`, { key: v.clinic.key });
    const transcripts: string[] = detail.body.events
      .filter((e: { eventType: string }) => e.eventType === 'speech')
      .map((e: { transcript: string }) => e.transcript);
    expect(transcripts).toHaveLength(SAID.length);
    for (const text of transcripts.slice(0, 4)) {
      // At most the two last digits of any number remain.
      expect(text.normalize('NFKC'), text).not.toMatch(/\d[\s.,/-]{0,2}\d[\s.,/-]{0,2}\d/);
      expect(text).toMatch(/•+\d{2}/);
    }
    expect(transcripts[4]).toBe('Pode ser às 10:30 do dia 2026-03-10? Custa 45 € ou 1.250,00 €.');
  });
});
