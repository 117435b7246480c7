// No raw phone number, in any format, anywhere it must not be: after a run through every door that
// takes one (REST bookings and lookups, a voice call with caller ID, a tool call and a transcript),
// the answers, the service's logs and every database column (but the AES-GCM ciphertext) are
// scanned for each number as E.164, national digits, with spaces or dashes, 00-prefixed, tel: URI.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import { toE164 } from '../../src/domain/phone.js';
import { createProfessional, createService } from '../support/factories.js';
import { formsIn, phoneForms, scanDatabaseRows } from '../support/phone-scan.js';
import type { Clinic, Reply, TestApp } from '../support/types.js';

const PHONES = ['+351912345678', '+351213456789', '+34612345678', '+447911123456', '+5511987654321'];
const CALLER = '+351934567812';
const forms = [...PHONES, CALLER].flatMap((p) => phoneForms(p, 'PT'));

const logs: string[] = [];
const answers: { label: string; reply: Reply }[] = [];
let app: TestApp;
let clinic: Clinic;

async function call(
  label: string,
  method: string,
  path: string,
  options: Parameters<TestApp['request']>[2] = {},
) {
  const reply = await app.request(method, path, { key: clinic.key, ...options });
  answers.push({ label: `${method} ${path} (${label})`, reply });
  return reply;
}

beforeAll(async () => {
  app = await startTestApp({ logSink: (line) => logs.push(line) });
  clinic = await app.createClinic({ country: 'PT' });
  const professional = await createProfessional(app, clinic);
  const service = await createService(app, clinic);
  for (const phone of [...PHONES, CALLER]) expect(toE164(phone), phone).toBe(phone);

  // REST: book, look up by phone, read back every way, change the phone, and send invalid ones.
  for (const [i, phone] of PHONES.entries()) {
    const body = {
      professionalId: professional.id,
      serviceTypeId: service.id,
      patientName: `Paciente ${i}`,
      patientPhone: phone,
      startsAt: `2026-06-0${i + 1}T10:00:00Z`,
      patientNotes: 'Prefere ser contactada de manhã',
    };
    const booked = await call('book', 'POST', '/v1/appointments', {
      headers: { 'idempotency-key': `privacy-${i}` },
      body,
    });
    expect(booked.status, booked.text).toBe(201);
    const id = booked.body.id as string;
    await call('lookup', 'GET', '/v1/appointments', { query: { patientPhone: phone } });
    await call('read', 'GET', `/v1/appointments/${id}`);
    await call('history', 'GET', `/v1/appointments/${id}/history`);
    await call('patient', 'GET', `/v1/patients/${encodeURIComponent(booked.body.patientPhoneHash)}`);
    await call('change phone', 'PATCH', `/v1/appointments/${id}`, {
      body: { patientPhone: PHONES[(i + 1) % 5] },
    });
    await call('replay', 'POST', '/v1/appointments', {
      headers: { 'idempotency-key': `privacy-${i}` },
      body,
    });
  }
  const national = phoneForms(PHONES[0]!, 'PT').filter((f) => !f.startsWith('+'));
  for (const [i, bad] of [...national, '+35191234', '912 345 678 ext 9'].entries()) {
    await call('invalid phone', 'POST', '/v1/appointments', {
      body: {
        professionalId: professional.id,
        serviceTypeId: service.id,
        patientName: 'Inválido',
        patientPhone: bad,
        startsAt: `2026-07-${String(i + 1).padStart(2, '0')}T10:00:00Z`,
      },
    });
    await call('invalid lookup', 'GET', '/v1/appointments', { query: { patientPhone: bad } });
  }
  await call('list', 'GET', '/v1/appointments', { query: { limit: 200 } });
  await call('patients', 'GET', '/v1/patients', { query: { search: 'paciente' } });

  // Voice: a call with caller ID, a booking by tool call with a number said aloud, a transcript.
  const secret = 'privacy-test-secret-0123456789-0123456789';
  const integration = await call('integration', 'POST', '/v1/voice/integrations', {
    body: { platform: 'vapi', credentials: { secret } },
  });
  expect(integration.status, integration.text).toBe(201);
  const webhook = new URL(integration.body.webhookUrl).pathname;
  const vapi = (label: string, message: Record<string, unknown>) =>
    call(label, 'POST', webhook, {
      key: null,
      headers: { 'x-vapi-secret': secret },
      body: { message: { call: { id: 'call-privacy', customer: { number: CALLER } }, ...message } },
    });
  await vapi('call starts', { type: 'status-update', status: 'in-progress' });
  await vapi('tool call', {
    type: 'tool-calls',
    toolCallList: [
      {
        id: 'tool-privacy-1',
        function: {
          name: 'book_appointment',
          arguments: {
            service: service.id,
            startsAt: '2026-06-20T10:00:00Z',
            professional: null,
            patientName: 'Rita Voz',
            patientPhone: '912 345 678',
            notes: 'Ligar para 00351 912 345 678 ou 21-345-6789',
          },
        },
      },
    ],
  });
  await vapi('call ends', {
    type: 'end-of-call-report',
    endedReason: 'customer-ended-call',
    artifact: {
      messages: [
        { role: 'user', message: 'O meu número é 912 345 678, ou +351 934 567 812.', secondsFromStart: 3 },
        { role: 'bot', message: 'Obrigada, fica marcado.', secondsFromStart: 6 },
        { role: 'user', message: 'Ou então 00 351 21 345 67 89 / 912-345-678.', secondsFromStart: 9 },
      ],
    },
  });
  const calls = await call('calls', 'GET', '/v1/calls');
  for (const c of calls.body?.items ?? []) await call('call', 'GET', `/v1/calls/${c.id}`);
});
afterAll(() => app.close());

describe('no raw phone number anywhere it must not be', () => {
  it('the run went through every door (bookings, lookups, a voice call, logs captured)', () => {
    expect(answers.filter((a) => a.reply.status === 201).length).toBeGreaterThanOrEqual(PHONES.length);
    expect(answers.some((a) => a.label.includes('tool call') && a.reply.status === 200)).toBe(true);
    expect(logs.some((l) => l.includes('"event":"request"'))).toBe(true);
  });

  it('in no answer, the calls API included (it shows the caller as a hash and a masked form)', () => {
    const leaks = answers.flatMap(({ label, reply }) =>
      formsIn(reply.text, forms).map((form) => `${label} → ${reply.status} contains ${form}`),
    );
    expect(leaks).toEqual([]);
  });

  it('in no log line', () => {
    const leaks = logs.flatMap((line) =>
      formsIn(line, forms).map((form) => `${form} in ${line.slice(0, 300)}`),
    );
    expect(leaks).toEqual([]);
  });

  it('in no database column but the ciphertexts, which are sealed', async () => {
    expect(await scanDatabaseRows((sql) => app.sql(sql), forms)).toEqual([]);
    const sealed = await app.sql(
      'SELECT patient_phone_encrypted AS v FROM appointments UNION ALL SELECT from_number_encrypted FROM calls WHERE from_number_encrypted IS NOT NULL',
    );
    expect(sealed.length).toBeGreaterThan(PHONES.length);
    for (const { v } of sealed) expect(String(v)).toMatch(/^v\d+\.[\w-]+\.[\w-]+$/);
  });
});
