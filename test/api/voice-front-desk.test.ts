// The front desk around the booking, on Vapi (payloads as Vapi's server-URL docs show them): clinic
// information, red-flag symptoms (nothing booked, the call records it) and the reception transfer
// (Vapi's transfer-destination-request), in and out of hours and with no number configured.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import { DEFAULT_NOW } from '../support/http.js';
import type { TestApp } from '../support/types.js';
import { appointmentsOf, voiceClinic } from '../support/voice.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const SECRET = 'vapi-shared-secret-0123456789-0123456789';
const CALLER = '+351912345678';
// DEFAULT_NOW is Monday 2 March 2026, 09:00 in Lisbon: the clinic (weekdays 09–13, 14–18) is open.
const EVENING = Date.parse('2026-03-02T19:30:00Z');
const SATURDAY = Date.parse('2026-03-07T11:00:00Z');

const message = (callId: string, body: Record<string, unknown>) => ({
  message: {
    call: { id: callId, type: 'inboundPhoneCall', customer: { number: CALLER } },
    customer: { number: CALLER },
    phoneNumber: { number: '+351210000000' },
    ...body,
  },
});
const toolCalls = (callId: string, calls: { id: string; name: string; args: unknown }[]) =>
  message(callId, {
    type: 'tool-calls',
    toolCallList: calls.map((c) => ({
      id: c.id,
      type: 'function',
      function: { name: c.name, arguments: c.args },
    })),
  });

async function send(path: string, body: unknown) {
  return app.request('POST', path, {
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', 'x-vapi-secret': SECRET },
  });
}
async function say(path: string, callId: string, name: string, args: unknown = {}) {
  const reply = await send(path, toolCalls(callId, [{ id: `${callId}-${name}`, name, args }]));
  expect(reply.status).toBe(200);
  return reply.body.results[0].result as string;
}

async function clinic(
  options: { language?: string; country?: string; config?: Record<string, unknown> } = {},
) {
  app.setNow(DEFAULT_NOW);
  const v = await voiceClinic(app, 'vapi', { secret: SECRET }, { language: options.language });
  const patch = await app.request('PATCH', '/v1/tenants/me', {
    key: v.clinic.key,
    body: {
      address: 'Rua Augusta 10',
      postalCode: '1100-048',
      city: 'Lisboa',
      ...(options.country ? { country: options.country } : {}),
      // A config patch fills the fields it leaves out with their defaults: the language is repeated.
      config: {
        language: options.language ?? 'pt-PT',
        fallbackHumanNumber: '+351210000999',
        ...options.config,
      },
    },
  });
  expect(patch.status).toBe(200);
  return v;
}

const callOf = async (key: string, externalCallId: string) => {
  const calls = (await app.request('GET', '/v1/calls', { key })).body.items;
  const call = calls.find((c: { externalCallId: string }) => c.externalCallId === externalCallId);
  return (await app.request('GET', `/v1/calls/${call.id}`, { key })).body;
};

describe('clinic_info', () => {
  it('says the address and today’s hours and offers the rest; the week’s hours and the services on request', async () => {
    const v = await clinic();
    expect(await say(v.path, 'call-info', 'clinic_info')).toBe(
      'A Clínica Sorriso fica em Rua Augusta 10, 1100-048 Lisboa. ' +
        'Hoje estamos abertos das 09:00 às 13:00 e das 14:00 às 18:00. ' +
        'Posso dizer-lhe o horário da semana ou os serviços e preços.',
    );
    // One topic when the caller asked one thing: short.
    expect(await say(v.path, 'call-info-2', 'clinic_info', { topic: 'address' })).toBe(
      'A Clínica Sorriso fica em Rua Augusta 10, 1100-048 Lisboa.',
    );
    expect(await say(v.path, 'call-info-3', 'clinic_info', { topic: 'hours' })).toBe(
      'Hoje estamos abertos das 09:00 às 13:00 e das 14:00 às 18:00. ' +
        'Esta semana: segunda-feira a sexta-feira, das 09:00 às 13:00 e das 14:00 às 18:00; sábado e domingo, fechado.',
    );
    // Services and prices are list_services' answer, word for word.
    expect(await say(v.path, 'call-info-4', 'clinic_info', { topic: 'services' })).toBe(
      await say(v.path, 'call-info-5', 'list_services'),
    );
  });

  it('follows the week from today, with holidays, in each language', async () => {
    const v = await clinic({ language: 'en' });
    // Next Friday is a holiday for both professionals: the clinic is closed that day.
    for (const p of [v.ana, v.rui]) {
      await app.request('POST', `/v1/professionals/${p.id}/exceptions`, {
        key: v.clinic.key,
        body: { kind: 'holiday', date: '2026-03-13' },
      });
    }
    app.setNow(SATURDAY);
    expect(await say(v.path, 'call-week', 'clinic_info', { topic: 'hours' })).toBe(
      'We are closed today. This week: Saturday and Sunday, closed; Monday to Thursday, 09:00 to 13:00 and 14:00 to 18:00; Friday, closed.',
    );
    for (const language of ['es', 'pt-BR']) {
      const c = await clinic({ language });
      const services = await say(c.path, `call-svc-${language}`, 'clinic_info', { topic: 'services' });
      expect(services).toContain('Consulta de rotina (30 min,');
      expect(services).toBe(await say(c.path, `call-list-${language}`, 'list_services'));
    }
  });
});

describe('emergencies', () => {
  it('report_symptoms with a red flag: call 112, nothing booked, the call records it', async () => {
    const v = await clinic();
    const text = await say(v.path, 'call-sos', 'report_symptoms', {
      symptoms: 'O meu pai tem uma dor no peito muito forte',
    });
    expect(text).toBe(
      'Isso pode ser uma emergência. Desligue e ligue já para o 112. Não vou marcar consulta para isto.',
    );
    const { call, events } = await callOf(v.clinic.key, 'call-sos');
    expect(call.outcome).toBe('emergency');
    expect(events[0]).toMatchObject({
      toolName: 'report_symptoms',
      toolOutput: { outcome: 'emergency', result: text },
    });
    const listed = await app.request('GET', '/v1/calls', {
      key: v.clinic.key,
      query: { outcome: 'emergency' },
    });
    expect(listed.body.items.map((c: { externalCallId: string }) => c.externalCallId)).toEqual(['call-sos']);
    // Symptoms without a red flag: carry on.
    expect(await say(v.path, 'call-ok', 'report_symptoms', { symptoms: 'Tenho uma cárie a incomodar' })).toBe(
      'Nada indica uma emergência; pode seguir com a marcação ou a mensagem.',
    );
  });

  it('a booking whose notes carry a red flag books nothing, and the emergency outranks anything else on the call', async () => {
    const v = await clinic({ language: 'en' });
    const reply = await send(
      v.path,
      toolCalls('call-book-sos', [
        {
          id: 't1',
          name: 'book_appointment',
          args: {
            service: 'Consulta de rotina',
            startsAt: '2026-03-03T10:00',
            patientName: 'Maria Silva',
            notes: 'Severe chest pain since this morning',
          },
        },
        {
          id: 't2',
          name: 'book_appointment',
          args: { service: 'Consulta de rotina', startsAt: '2026-03-03T11:00', patientName: 'Maria Silva' },
        },
      ]),
    );
    expect(reply.body.results[0].result).toBe(
      'This may be an emergency. Please hang up and call 112 now. I will not book an appointment for this.',
    );
    const booked = await appointmentsOf(app, v.clinic);
    expect(booked.map((a) => a.startsAt)).toEqual(['2026-03-03T11:00:00+00:00']);
    expect((await callOf(v.clinic.key, 'call-book-sos')).call.outcome).toBe('emergency');
  });

  it("names the country's emergency number, and the clinic's own red flags replace the defaults", async () => {
    const br = await clinic({ language: 'pt-BR', country: 'BR' });
    expect(await say(br.path, 'call-br', 'report_symptoms', { symptoms: 'ele desmaiou agora' })).toBe(
      'Isso pode ser uma emergência. Desligue e ligue agora para o 192. Não vou agendar consulta para isso.',
    );
    const us = await clinic({ language: 'en', country: 'US' });
    expect(
      await say(us.path, 'call-us', 'report_symptoms', { symptoms: 'I think I am having a stroke' }),
    ).toContain('call 911 now');
    const es = await clinic({
      language: 'es',
      country: 'ES',
      config: { emergencySymptoms: ['fiebre alta'] },
    });
    expect(await say(es.path, 'call-es', 'report_symptoms', { symptoms: 'mi hija tiene fiebre alta' })).toBe(
      'Esto puede ser una emergencia. Cuelgue y llame ya al 112. No voy a reservar cita para esto.',
    );
    expect(await say(es.path, 'call-es-2', 'report_symptoms', { symptoms: 'dolor en el pecho' })).toBe(
      'Nada indica una emergencia; puede seguir con la cita o el mensaje.',
    );
  });
});

describe('transfer_to_human on Vapi', () => {
  it("in hours: the transfer-destination-request is answered with the reception's number", async () => {
    const v = await clinic();
    const reply = await send(v.path, message('call-xfer', { type: 'transfer-destination-request' }));
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      destination: {
        type: 'number',
        number: '+351210000999',
        message: 'Vou passar a chamada para a receção. Um momento, por favor.',
      },
    });
    expect((await callOf(v.clinic.key, 'call-xfer')).call.outcome).toBe('transferred_to_human');
    // The function tool says the same (no live-control URL on this call to act on).
    expect(await say(v.path, 'call-xfer', 'transfer_to_human', { reason: null })).toBe(
      'Vou passar a chamada para a receção. Um momento, por favor.',
    );
  });

  it('out of hours: says when the clinic opens and offers a message; no destination', async () => {
    const v = await clinic();
    app.setNow(EVENING);
    const reply = await send(v.path, message('call-late', { type: 'transfer-destination-request' }));
    expect(reply.body).toEqual({
      error:
        'A receção está fechada. Abre amanhã às 09:00. Posso deixar uma mensagem para lhe ligarem de volta?',
    });
    app.setNow(SATURDAY);
    expect(await say(v.path, 'call-weekend', 'transfer_to_human')).toBe(
      'A receção está fechada. Abre segunda-feira, 9 de março às 09:00. Posso deixar uma mensagem para lhe ligarem de volta?',
    );
    expect((await callOf(v.clinic.key, 'call-weekend')).call.outcome).toBeNull();
  });

  it('no reception number configured: says so and offers a message', async () => {
    const v = await clinic({ language: 'en', config: { fallbackHumanNumber: null } });
    const reply = await send(v.path, message('call-none', { type: 'transfer-destination-request' }));
    expect(reply.body).toEqual({
      error:
        'I cannot put you through: the clinic has no reception number set up. Shall I take a message for a callback?',
    });
    expect(await say(v.path, 'call-none', 'transfer_to_human')).toBe(reply.body.error);
  });
});
