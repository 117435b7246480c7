import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import { maskPhone } from '../../src/domain/phone-mask.js';
import type { TestApp } from '../support/types.js';
import { appointmentsOf, voiceClinic } from '../support/voice.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const SECRET = 'vapi-shared-secret-0123456789-0123456789';
const CALLER = '+351912345678';

const toolCalls = (
  callId: string,
  calls: { id: string; name: string; args: unknown }[],
  caller: string | null = CALLER,
) => ({
  message: {
    type: 'tool-calls',
    call: {
      id: callId,
      type: caller ? 'inboundPhoneCall' : 'webCall',
      ...(caller ? { customer: { number: caller } } : {}),
    },
    phoneNumber: { number: '+351210000000' },
    toolCallList: calls.map((c) => ({
      id: c.id,
      type: 'function',
      function: { name: c.name, arguments: c.args },
    })),
  },
});

async function send(
  path: string,
  body: unknown,
  headers: Record<string, string> = { 'x-vapi-secret': SECRET },
) {
  return app.request('POST', path, {
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...headers },
  });
}

describe('Vapi: authentication', () => {
  it('accepts the secret as X-Vapi-Secret or Bearer; rejects a missing or wrong one with 401', async () => {
    const v = await voiceClinic(app, 'vapi', { secret: SECRET });
    const body = toolCalls('call-auth', [{ id: 't1', name: 'list_services', args: {} }]);
    expect((await send(v.path, body)).status).toBe(200);
    expect((await send(v.path, body, { authorization: `Bearer ${SECRET}` })).status).toBe(200);
    for (const headers of [
      {},
      { 'x-vapi-secret': 'wrong' },
      { authorization: `Bearer ${SECRET}x` },
    ] as Record<string, string>[]) {
      const reply = await send(v.path, body, headers);
      expect(reply.status).toBe(401);
      expect(reply.body.error).toBe('invalid_signature');
    }
  });

  it('takes the secret of a Vapi Bearer credential with or without the prefix, in the header the clinic named', async () => {
    const body = toolCalls('call-cred', [{ id: 't1', name: 'list_services', args: {} }]);
    // "Include Bearer prefix" off: the bare token in Authorization.
    const plain = await voiceClinic(app, 'vapi', { secret: SECRET });
    expect((await send(plain.path, body, { authorization: SECRET })).status).toBe(200);
    // A header name of the clinic's choosing, set on the Vapi credential and on the integration.
    const named = await voiceClinic(app, 'vapi', { secret: SECRET, headerName: 'X-Clinic-Token' });
    expect((await send(named.path, body, { 'x-clinic-token': SECRET })).status).toBe(200);
    expect((await send(named.path, body, { 'x-clinic-token': `Bearer ${SECRET}` })).status).toBe(200);
    for (const headers of [
      { 'x-clinic-token': `${SECRET}x` },
      { 'x-clinic-token': 'Bearer' },
      { 'x-other-token': SECRET },
      { authorization: `Basic ${SECRET}` },
    ] as Record<string, string>[]) {
      const reply = await send(named.path, body, headers);
      expect(reply.status, JSON.stringify(Object.keys(headers))).toBe(401);
      expect(reply.body.error).toBe('invalid_signature');
    }
    const bad = await app.request('POST', '/v1/voice/integrations', {
      key: named.clinic.key,
      body: { platform: 'vapi', credentials: { secret: SECRET, headerName: 'X Clinic: Token' } },
    });
    expect(bad.status).toBe(422);
    expect(bad.text).not.toContain(SECRET);
  });

  it("exported tools carry Vapi's per-tool auth: the credential id, else the header for the secret (never the secret)", async () => {
    const exported = async (credentials: Record<string, unknown>) => {
      const v = await voiceClinic(app, 'vapi', credentials);
      const reply = await app.request('GET', '/v1/voice/tools', {
        key: v.clinic.key,
        query: { format: 'vapi', integrationId: v.integration.id },
      });
      expect(reply.status).toBe(200);
      expect(reply.text).not.toContain(SECRET);
      return {
        servers: reply.body.tools.map((t: { server: unknown }) => t.server),
        url: v.integration.webhookUrl,
      };
    };
    const byId = await exported({ secret: SECRET, credentialId: 'cred_0123-abcd' });
    for (const server of byId.servers)
      expect(server).toEqual({ url: byId.url, credentialId: 'cred_0123-abcd', timeoutSeconds: 20 });
    const byHeader = await exported({ secret: SECRET, headerName: 'X-Clinic-Token' });
    for (const server of byHeader.servers)
      expect(server).toEqual({
        url: byHeader.url,
        headers: { 'X-Clinic-Token': '<your secret>' },
        timeoutSeconds: 20,
      });
    const byDefault = await exported({ secret: SECRET });
    for (const server of byDefault.servers)
      expect(server).toEqual({
        url: byDefault.url,
        headers: { Authorization: 'Bearer <your secret>' },
        timeoutSeconds: 20,
      });
  });

  it("verifies Vapi's HMAC plan on the raw body, with a 5-minute window", async () => {
    const hmacSecret = 'vapi-hmac-secret-0123456789-0123456789';
    const v = await voiceClinic(app, 'vapi', { hmacSecret });
    const raw = JSON.stringify(toolCalls('call-hmac', [{ id: 't1', name: 'list_services', args: {} }]));
    const sign = (ts: number, body: string) =>
      createHmac('sha256', hmacSecret).update(`${ts}.${body}`).digest('hex');
    const now = Math.floor(app.now() / 1000);
    expect(
      (await send(v.path, raw, { 'x-timestamp': String(now), 'x-signature': sign(now, raw) })).status,
    ).toBe(200);
    expect(
      (await send(v.path, raw, { 'x-timestamp': String(now), 'x-signature': `sha256=${sign(now, raw)}` }))
        .status,
    ).toBe(200);
    // Forged, stale, and the same JSON re-serialised: all rejected.
    expect(
      (await send(v.path, raw, { 'x-timestamp': String(now), 'x-signature': sign(now, `${raw} `) })).status,
    ).toBe(401);
    expect(
      (await send(v.path, raw, { 'x-timestamp': String(now - 301), 'x-signature': sign(now - 301, raw) }))
        .status,
    ).toBe(401);
    const reserialised = JSON.stringify(JSON.parse(raw), null, 1);
    expect(
      (await send(v.path, reserialised, { 'x-timestamp': String(now), 'x-signature': sign(now, raw) }))
        .status,
    ).toBe(401);
  });

  it('a rotated secret takes effect at the next request: the old one is refused at once', async () => {
    const v = await voiceClinic(app, 'vapi', { secret: SECRET });
    const body = toolCalls('call-rotate', [{ id: 't1', name: 'list_services', args: {} }]);
    // Opened once before the rotation, so any kept copy of the old secret would answer next.
    expect((await send(v.path, body)).status).toBe(200);
    const rotated = `${SECRET}-rotated`;
    const patched = await app.request('PATCH', `/v1/voice/integrations/${v.integration.id}`, {
      key: v.clinic.key,
      body: { credentials: { secret: rotated } },
    });
    expect(patched.status).toBe(200);
    expect((await send(v.path, body)).status).toBe(401);
    expect((await send(v.path, body, { 'x-vapi-secret': rotated })).status).toBe(200);
    // And back: the first secret works again, the rotated one no longer.
    await app.request('PATCH', `/v1/voice/integrations/${v.integration.id}`, {
      key: v.clinic.key,
      body: { credentials: { secret: SECRET } },
    });
    expect((await send(v.path, body, { 'x-vapi-secret': rotated })).status).toBe(401);
    expect((await send(v.path, body)).status).toBe(200);
  });

  it('404 for an unknown or disconnected integration', async () => {
    const v = await voiceClinic(app, 'vapi', { secret: SECRET });
    expect((await send('/v1/voice/webhooks/nope', {})).status).toBe(404);
    await app.request('DELETE', `/v1/voice/integrations/${v.integration.id}`, { key: v.clinic.key });
    expect((await send(v.path, toolCalls('c', [{ id: 't', name: 'list_services', args: {} }]))).status).toBe(
      404,
    );
  });
});

describe('Vapi: tool calls', () => {
  it('lists services and checks availability in pt-PT, one line each', async () => {
    const v = await voiceClinic(app, 'vapi', { secret: SECRET });
    const reply = await send(
      v.path,
      toolCalls('call-1', [
        { id: 't1', name: 'list_services', args: {} },
        {
          id: 't2',
          name: 'check_availability',
          args: JSON.stringify({ service: 'consulta', date: '2026-03-03' }),
        },
        {
          id: 't3',
          name: 'check_availability',
          args: { service: 'higiene', date: '2026-03-03', partOfDay: 'afternoon' },
        },
      ]),
    );
    expect(reply.status).toBe(200);
    const [services, morning, afternoon] = reply.body.results;
    expect(services).toEqual({
      toolCallId: 't1',
      result: 'Temos: Consulta de rotina (30 min, 45 €) ou Higiene oral (60 min).',
    });
    // Any professional: the first free one in name order takes the time, and is named.
    expect(morning.result).toBe(
      'Há vagas terça-feira, 3 de março às 09:00, 09:30 ou 10:00 com Dr. Rui Lopes.',
    );
    expect(afternoon.result).toBe(
      'Há vagas terça-feira, 3 de março às 12:00, 14:00 ou 14:30 com Dr. Rui Lopes.',
    );
    for (const r of reply.body.results) expect(r.result).not.toContain('\n');
  });

  it('books for the caller with source voice_ai, linked to the call, and never twice for one tool-call id', async () => {
    const v = await voiceClinic(app, 'vapi', { secret: SECRET });
    const book = toolCalls('call-2', [
      {
        id: 'tool-book-1',
        name: 'book_appointment',
        args: { service: 'Consulta de rotina', startsAt: '2026-03-03T10:00', patientName: 'Maria Silva' },
      },
    ]);
    const first = await send(v.path, book);
    expect(first.body.results[0].result).toBe(
      'Marcação confirmada: Consulta de rotina, terça-feira, 3 de março, às 10:00 com Dr. Rui Lopes.',
    );
    // The platform retries (timeout, barge-in): same tool-call id, same answer, still one booking.
    const retries = await Promise.all(Array.from({ length: 10 }, () => send(v.path, book)));
    for (const r of retries) expect(r.body.results[0].result).toBe(first.body.results[0].result);
    // Asked again in a new tool call for the time the caller already holds: it is theirs, not taken.
    const again = await send(
      v.path,
      toolCalls('call-2', [
        {
          id: 'tool-book-2',
          name: 'book_appointment',
          args: { service: 'Consulta de rotina', startsAt: '2026-03-03T10:00', patientName: 'Maria Silva' },
        },
      ]),
    );
    expect(again.body.results[0].result).toBe(first.body.results[0].result);
    const booked = await appointmentsOf(app, v.clinic);
    expect(booked).toHaveLength(1);
    expect(booked[0]).toMatchObject({
      source: 'voice_ai',
      status: 'confirmed',
      professionalId: v.rui.id,
      patientName: 'Maria Silva',
    });

    const calls = await app.request('GET', '/v1/calls', { key: v.clinic.key });
    const call = calls.body.items[0];
    expect(call).toMatchObject({
      platform: 'vapi',
      externalCallId: 'call-2',
      fromNumberMasked: maskPhone(CALLER),
      toNumber: '+351210000000',
      outcome: 'booking_created',
    });
    expect(booked[0]!.callId).toBe(call.id);
    const history = await app.request('GET', `/v1/appointments/${booked[0]!.id}/history`, {
      key: v.clinic.key,
    });
    expect(history.body.items[0].actor).toBe('voice:vapi');

    // Another call whose model reuses the tool-call id "tool-book-1" is a new request, not a replay.
    const nextCall = await send(
      v.path,
      toolCalls('call-3', [
        {
          id: 'tool-book-1',
          name: 'book_appointment',
          args: { service: 'Consulta de rotina', startsAt: '2026-03-03T11:00', patientName: 'Maria Silva' },
        },
      ]),
    );
    expect(nextCall.body.results[0].result).toBe(
      'Marcação confirmada: Consulta de rotina, terça-feira, 3 de março, às 11:00 com Dr. Rui Lopes.',
    );
    expect(await appointmentsOf(app, v.clinic)).toHaveLength(2);
  });

  it('a caller with many upcoming visits asking again for one they hold is told it is theirs, not booked twice', async () => {
    const v = await voiceClinic(app, 'vapi', { secret: SECRET });
    // 22 earlier visits with Ana: more than the 20 soonest a caller's list is cut at.
    const times = [
      ...['09', '10', '11', '12', '14', '15', '16', '17']
        .flatMap((h) => [`${h}:00`, `${h}:30`])
        .map((t) => `2026-03-04T${t}`),
      ...['09:00', '09:30', '10:00', '10:30', '11:00', '11:30'].map((t) => `2026-03-05T${t}`),
    ];
    for (const at of times) {
      const made = await app.request('POST', '/v1/appointments', {
        key: v.clinic.key,
        body: {
          professionalId: v.ana.id,
          serviceTypeId: v.consulta.id,
          patientName: 'Maria Silva',
          patientPhone: CALLER,
          startsAt: `${at}:00Z`,
        },
      });
      expect(made.status).toBe(201);
    }
    const ask = (id: string) =>
      send(
        v.path,
        toolCalls('call-many', [
          {
            id,
            name: 'book_appointment',
            args: { service: 'Consulta de rotina', startsAt: '2026-03-06T10:00', patientName: 'Maria Silva' },
          },
        ]),
      );
    const first = await ask('tool-many-1');
    expect(first.body.results[0].result).toMatch(/^Marcação confirmada: .*6 de março, às 10:00/);
    // Any professional: without the check, the other professional free at 10:00 would take it again.
    const again = await ask('tool-many-2');
    expect(again.body.results[0].result).toBe(first.body.results[0].result);
    const booked = await appointmentsOf(app, v.clinic);
    expect(booked.filter((a) => a.startsAt.startsWith('2026-03-06'))).toHaveLength(1);
    expect(booked).toHaveLength(times.length + 1);
  });

  it('a taken time answers with the nearest alternatives', async () => {
    const v = await voiceClinic(app, 'vapi', { secret: SECRET });
    const args = { service: 'Higiene oral', startsAt: '2026-03-03T10:00', patientName: 'Ana' };
    await send(v.path, toolCalls('call-3', [{ id: 'a', name: 'book_appointment', args }]));
    const second = await send(
      v.path,
      toolCalls(
        'call-4',
        [{ id: 'b', name: 'book_appointment', args: { ...args, patientName: 'Bruno' } }],
        '+351961234567',
      ),
    );
    expect(second.body.results[0].result).toBe(
      'Essa hora já não está livre. Posso oferecer terça-feira, 3 de março, às 09:00, terça-feira, 3 de março, às 11:00 ou terça-feira, 3 de março, às 11:30.',
    );
  });

  it('keeps voice bookings inside working hours, notice and horizon', async () => {
    const v = await voiceClinic(app, 'vapi', { secret: SECRET });
    const book = (id: string, startsAt: string) =>
      send(
        v.path,
        toolCalls(`call-${id}`, [
          {
            id,
            name: 'book_appointment',
            args: { service: 'Consulta de rotina', startsAt, patientName: 'Eva' },
          },
        ]),
      );
    expect((await book('sat', '2026-03-07T10:00')).body.results[0].result).toBe(
      'Nessa hora não há consultas. Posso oferecer sexta-feira, 6 de março, às 16:30, sexta-feira, 6 de março, às 17:00 ou sexta-feira, 6 de março, às 17:30.',
    );
    expect((await book('lunch', '2026-03-03T13:00')).body.results[0].result).toMatch(
      /^Nessa hora não há consultas\. Posso oferecer .*12:30.*14:00/,
    );
    expect((await book('soon', '2026-03-02T09:30')).body.results[0].result).toMatch(
      /^Essa hora é demasiado próxima para marcar\. Posso oferecer segunda-feira, 2 de março, às 10:00/,
    );
    expect((await book('far', '2026-09-01T10:00')).body.results[0].result).toBe(
      'Ainda não abrimos marcações para essa data.',
    );
    expect(await appointmentsOf(app, v.clinic)).toHaveLength(0);
  });

  it('every slot GET /v1/availability offers is bookable through the voice door', async () => {
    const v = await voiceClinic(app, 'vapi', { secret: SECRET });
    const slots = await app.request('GET', '/v1/availability', {
      key: v.clinic.key,
      query: { serviceTypeId: v.higiene.id, from: '2026-03-04', to: '2026-03-04' },
    });
    expect(slots.body.items.length).toBeGreaterThan(3);
    for (const [i, slot] of slots.body.items.entries()) {
      if (i % 2) continue; // 60-minute slots every 30: book every other one so none overlap
      const reply = await send(
        v.path,
        toolCalls(`call-slot-${i}`, [
          {
            id: `slot-${i}`,
            name: 'book_appointment',
            args: { service: v.higiene.id, startsAt: slot.startsAt, patientName: `P${i}` },
          },
        ]),
      );
      expect(reply.body.results[0].result, slot.startsAt).toMatch(/^Marcação confirmada/);
    }
  });

  it("asks for the patient's name when the one given is not a name (the rule every door keeps)", async () => {
    const v = await voiceClinic(app, 'vapi', { secret: SECRET });
    for (const patientName of ['', ' ', 'A']) {
      const reply = await send(
        v.path,
        toolCalls('call-name', [
          {
            id: `n-${patientName.length}`,
            name: 'book_appointment',
            args: { service: 'consulta', startsAt: '2026-03-03T11:00', patientName },
          },
        ]),
      );
      expect(reply.body.results[0].result).toBe('Qual é o nome do paciente?');
    }
    expect(await appointmentsOf(app, v.clinic)).toHaveLength(0);
  });

  it('asks for a number when caller ID is withheld, then books with the number given', async () => {
    const v = await voiceClinic(app, 'vapi', { secret: SECRET });
    for (const caller of [null, 'anonymous', '+266696687']) {
      const reply = await send(
        v.path,
        toolCalls(
          'call-anon',
          [
            {
              id: `x-${caller}`,
              name: 'book_appointment',
              args: { service: 'consulta', startsAt: '2026-03-03T11:00', patientName: 'Rita' },
            },
          ],
          caller,
        ),
      );
      expect(reply.body.results[0].result).toBe(
        'Preciso de um número de telemóvel para a marcação. Qual é o seu número?',
      );
    }
    const given = await send(
      v.path,
      toolCalls(
        'call-anon',
        [
          {
            id: 'y',
            name: 'book_appointment',
            args: {
              service: 'consulta',
              startsAt: '2026-03-03T11:00',
              patientName: 'Rita',
              patientPhone: '912 345 670',
            },
          },
        ],
        null,
      ),
    );
    expect(given.body.results[0].result).toMatch(/^Marcação confirmada/);
  });

  it('a caller finds, moves and cancels only their own appointments', async () => {
    const v = await voiceClinic(app, 'vapi', { secret: SECRET });
    const other = '+351969999999';
    await send(
      v.path,
      toolCalls('c-a', [
        {
          id: 'b1',
          name: 'book_appointment',
          args: { service: 'consulta', startsAt: '2026-03-03T10:00', patientName: 'Maria' },
        },
      ]),
    );
    await send(
      v.path,
      toolCalls(
        'c-b',
        [
          {
            id: 'b2',
            name: 'book_appointment',
            args: { service: 'consulta', startsAt: '2026-03-04T10:00', patientName: 'Outro' },
          },
        ],
        other,
      ),
    );
    const [mine, theirs] = (await appointmentsOf(app, v.clinic)).sort((a, b) =>
      a.startsAt.localeCompare(b.startsAt),
    );

    const found = await send(v.path, toolCalls('c-a', [{ id: 'f1', name: 'find_appointments', args: {} }]));
    // With its reference (test/api/voice-answers.test.ts): what cancel and reschedule take back.
    const ref = mine!.id.replace(/-/g, '').slice(0, 8).toUpperCase();
    expect(found.body.results[0].result).toBe(
      `Tem Consulta de rotina terça-feira, 3 de março, às 10:00 com Dr. Rui Lopes [ref ${ref}].`,
    );
    // Naming the other caller's appointment id changes nothing.
    const steal = await send(
      v.path,
      toolCalls('c-a', [{ id: 'x1', name: 'cancel_appointment', args: { appointmentId: theirs!.id } }]),
    );
    expect(steal.body.results[0].result).toBe('Não encontrei marcações futuras para este número.');
    const stealMove = await send(
      v.path,
      toolCalls('c-a', [
        {
          id: 'x2',
          name: 'reschedule_appointment',
          args: { appointmentId: theirs!.id, newStartsAt: '2026-03-05T10:00' },
        },
      ]),
    );
    expect(stealMove.body.results[0].result).toBe('Não encontrei marcações futuras para este número.');
    expect(
      (await app.request('GET', `/v1/appointments/${theirs!.id}`, { key: v.clinic.key })).body.status,
    ).toBe('confirmed');

    const moved = await send(
      v.path,
      toolCalls('c-a', [
        { id: 'm1', name: 'reschedule_appointment', args: { newStartsAt: '2026-03-05T15:00' } },
      ]),
    );
    expect(moved.body.results[0].result).toBe(
      'Remarcado: Consulta de rotina, quinta-feira, 5 de março, às 15:00 com Dr. Rui Lopes.',
    );
    // A platform retry of the same tool call answers as the first call did, even though the
    // appointment it looked up has moved since.
    const movedAgain = await send(
      v.path,
      toolCalls('c-a', [
        { id: 'm1', name: 'reschedule_appointment', args: { newStartsAt: '2026-03-05T15:00' } },
      ]),
    );
    expect(movedAgain.body.results[0].result).toBe(moved.body.results[0].result);
    const cancelled = await send(
      v.path,
      toolCalls('c-a', [{ id: 'k1', name: 'cancel_appointment', args: { reason: 'viagem' } }]),
    );
    expect(cancelled.body.results[0].result).toBe(
      'A marcação de Consulta de rotina quinta-feira, 5 de março, às 15:00 foi cancelada.',
    );
    // Retried after the cancel: the caller has no upcoming appointment now, yet hears the first answer.
    const cancelledAgain = await send(
      v.path,
      toolCalls('c-a', [{ id: 'k1', name: 'cancel_appointment', args: { reason: 'viagem' } }]),
    );
    expect(cancelledAgain.body.results[0].result).toBe(cancelled.body.results[0].result);
    expect(
      (await app.request('GET', `/v1/appointments/${mine!.id}`, { key: v.clinic.key })).body,
    ).toMatchObject({
      status: 'cancelled',
      cancellationReason: 'viagem',
    });
    const anonymous = await send(
      v.path,
      toolCalls('c-z', [{ id: 'f2', name: 'find_appointments', args: {} }], null),
    );
    expect(anonymous.body.results[0].result).toMatch(/^Por segurança/);
  });

  it('answers unknown tools and bad arguments as results, never an error status', async () => {
    const v = await voiceClinic(app, 'vapi', { secret: SECRET });
    const reply = await send(
      v.path,
      toolCalls('c-bad', [
        { id: 'u', name: 'order_pizza', args: {} },
        { id: 'v', name: 'book_appointment', args: '{not json' },
        { id: 'w', name: 'check_availability', args: { service: 'Massagem' } },
        {
          id: 'x',
          name: 'book_appointment',
          args: { service: 'consulta', startsAt: 'amanhã', patientName: 'A' },
        },
      ]),
    );
    expect(reply.status).toBe(200);
    expect(reply.body.results.map((r: { result: string }) => r.result)).toEqual([
      'Unknown tool "order_pizza"',
      'Invalid arguments: Arguments are not valid JSON',
      'Não encontrei esse serviço. Temos: Consulta de rotina ou Higiene oral.',
      'Não percebi a data e hora. Diga-me o dia e a hora, por favor.',
    ]);
  });

  it('speaks English for an English-speaking clinic', async () => {
    const v = await voiceClinic(app, 'vapi', { secret: SECRET }, { language: 'en' });
    const reply = await send(
      v.path,
      toolCalls('c-en', [
        { id: 'e', name: 'check_availability', args: { service: 'consulta', date: '2026-03-03' } },
      ]),
    );
    expect(reply.body.results[0].result).toBe(
      'There is availability on Tuesday 3 March at 09:00, 09:30 or 10:00 with Dr. Rui Lopes.',
    );
  });
});

describe('Vapi: calls', () => {
  it('end-of-call-report completes the call with duration, outcome and transcript events (digits masked)', async () => {
    const v = await voiceClinic(app, 'vapi', { secret: SECRET });
    await send(
      v.path,
      toolCalls('call-end', [
        {
          id: 'b',
          name: 'book_appointment',
          args: { service: 'consulta', startsAt: '2026-03-03T10:00', patientName: 'Maria' },
        },
      ]),
    );
    const started = app.now() - 90_000;
    const report = {
      message: {
        type: 'end-of-call-report',
        call: { id: 'call-end', customer: { number: CALLER } },
        startedAt: new Date(started).toISOString(),
        endedAt: new Date(started + 83_000).toISOString(),
        endedReason: 'customer-ended-call',
        artifact: {
          messages: [
            { role: 'bot', message: 'Clínica Sorriso, bom dia.', time: started + 1000 },
            {
              role: 'user',
              message: 'Queria marcar uma consulta, o meu número é 912 345 678.',
              time: started + 4000,
            },
          ],
        },
      },
    };
    expect((await send(v.path, report)).status).toBe(200);
    expect((await send(v.path, report)).status).toBe(200);
    const list = await app.request('GET', '/v1/calls', {
      key: v.clinic.key,
      query: { outcome: 'booking_created' },
    });
    const detail = await app.request('GET', `/v1/calls/${list.body.items[0].id}`, { key: v.clinic.key });
    expect(detail.body.call).toMatchObject({
      status: 'completed',
      durationSeconds: 83,
      endedReason: 'customer-ended-call',
      outcome: 'booking_created',
    });
    const speech = detail.body.events.filter((e: { eventType: string }) => e.eventType === 'speech');
    expect(speech).toHaveLength(2);
    expect(speech[1].transcript).toBe('Queria marcar uma consulta, o meu número é •••••••78.');
    const tool = detail.body.events.find((e: { eventType: string }) => e.eventType === 'tool_call');
    expect(tool).toMatchObject({
      toolName: 'book_appointment',
      toolInput: { patientName: 'Maria' },
      toolOutput: { ok: true },
    });
    expect(detail.body.events.map((e: { sequence: number }) => e.sequence)).toEqual([1, 2, 3]);
  });

  it("never shows another clinic's calls", async () => {
    const a = await voiceClinic(app, 'vapi', { secret: SECRET });
    const b = await voiceClinic(app, 'vapi', { secret: SECRET });
    await send(a.path, toolCalls('call-iso', [{ id: 'l', name: 'list_services', args: {} }]));
    const mine = await app.request('GET', '/v1/calls', { key: a.clinic.key });
    expect(mine.body.items).toHaveLength(1);
    expect((await app.request('GET', '/v1/calls', { key: b.clinic.key })).body.items).toHaveLength(0);
    expect(
      (await app.request('GET', `/v1/calls/${mine.body.items[0].id}`, { key: b.clinic.key })).status,
    ).toBe(404);
    // Nor may one clinic's secret drive another clinic's integration.
    expect(
      (
        await send(b.path, toolCalls('x', [{ id: 'l', name: 'list_services', args: {} }]), {
          'x-vapi-secret': 'other-secret-0123456789',
        })
      ).status,
    ).toBe(401);
  });
});

describe('tool definitions', () => {
  it.each(['openai', 'openai-responses', 'openai-realtime', 'vapi', 'retell', 'elevenlabs'])(
    'format %s lists the ten tools',
    async (format) => {
      const v = await voiceClinic(app, 'vapi', { secret: SECRET });
      const reply = await app.request('GET', '/v1/voice/tools', {
        key: v.clinic.key,
        query: { format, integrationId: v.integration.id },
      });
      expect(reply.status).toBe(200);
      expect(reply.body.tools).toHaveLength(10);
      const text = JSON.stringify(reply.body.tools);
      for (const name of [
        'list_services',
        'check_availability',
        'book_appointment',
        'find_appointments',
        'cancel_appointment',
        'reschedule_appointment',
        'clinic_info',
        'take_message',
        'transfer_to_human',
        'report_symptoms',
      ]) {
        expect(text).toContain(name);
      }
      if (format === 'openai')
        expect(reply.body.tools[2]).toMatchObject({
          type: 'function',
          function: { name: 'book_appointment', strict: true },
        });
      if (format === 'vapi') expect(reply.body.tools[0].server.url).toBe(v.integration.webhookUrl);
    },
  );
});
