// Retell AI: custom functions and call events, signed with retell-sdk (X-Retell-Signature).
import { Retell } from 'retell-sdk';
import { symmetric } from 'retell-sdk/lib/webhook_auth';
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

const API_KEY = 'key_retell_0123456789abcdef';
const CALLER = '+351912345678';
const CLINIC_LINE = '+351210000000';

const call = (callId: string, caller: string | null = CALLER, extra: Record<string, unknown> = {}) => ({
  call_id: callId,
  call_type: caller ? 'phone_call' : 'web_call',
  agent_id: 'agent_abc',
  call_status: 'ongoing',
  direction: 'inbound',
  ...(caller ? { from_number: caller, to_number: CLINIC_LINE } : {}),
  metadata: {},
  transcript: 'Agent: Clínica Sorriso, bom dia.',
  ...extra,
});

const fn = (callId: string, name: string, args: unknown, caller: string | null = CALLER) =>
  JSON.stringify({ name, call: call(callId, caller), args });

/** Posts a body signed by retell-sdk at the service's clock (`at`, ms). */
async function send(path: string, raw: string, options: { at?: number; key?: string; sign?: string } = {}) {
  const signature = await symmetric.sign(
    options.sign ?? raw,
    options.key ?? API_KEY,
    options.at ?? app.now(),
  );
  return app.request('POST', path, {
    body: raw,
    headers: { 'content-type': 'application/json', 'x-retell-signature': signature },
  });
}

const callsOf = async (key: string) => (await app.request('GET', '/v1/calls', { key })).body.items;

describe('Retell: X-Retell-Signature', () => {
  it('accepts a body signed with the API key; rejects forged, stale, re-serialised or unsigned ones with 401 and records nothing', async () => {
    const r = await voiceClinic(app, 'retell', { apiKey: API_KEY });
    const raw = fn('call-sig', 'list_services', {});
    const reply = await send(r.path, raw);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      result: 'Temos: Consulta de rotina (30 min, 45 €) ou Higiene oral (60 min).',
    });

    const other = await voiceClinic(app, 'retell', { apiKey: API_KEY });
    const rejected = [
      await send(other.path, raw, { key: 'key_someone_else_000000' }),
      await send(other.path, raw, { sign: fn('call-sig', 'list_services', { x: 1 }) }),
      await send(other.path, raw, { at: app.now() - 5 * 60_000 - 1000 }),
      await send(other.path, raw, { at: app.now() + 5 * 60_000 + 1000 }),
      await send(other.path, JSON.stringify(JSON.parse(raw), null, 2), { sign: raw }),
      await app.request('POST', other.path, { body: raw }),
      await app.request('POST', other.path, {
        body: raw,
        headers: { 'x-retell-signature': `v=${app.now()},d=${'0'.repeat(64)}` },
      }),
    ];
    for (const reply of rejected) {
      expect(reply.status).toBe(401);
      expect(reply.body.error).toBe('invalid_signature');
    }
    expect(await callsOf(other.clinic.key)).toHaveLength(0);
  });

  it("agrees with retell-sdk's own Retell.sign / Retell.verify on the real clock", async () => {
    const live = await startTestApp({ now: Date.now() });
    try {
      const r = await voiceClinic(live, 'retell', { apiKey: API_KEY });
      const raw = fn('call-live', 'list_services', {});
      const signature = await Retell.sign(raw, API_KEY);
      expect(await Retell.verify(raw, API_KEY, signature)).toBe(true);
      const post = (body: string) =>
        live.request('POST', r.path, {
          body,
          headers: { 'content-type': 'application/json', 'x-retell-signature': signature },
        });
      expect((await post(raw)).status).toBe(200);
      const tampered = raw.replace('list_services', 'find_appointments');
      expect(await Retell.verify(tampered, API_KEY, signature)).toBe(false);
      expect((await post(tampered)).status).toBe(401);
    } finally {
      await live.close();
    }
  });
});

describe('Retell: custom functions', () => {
  const booking = { service: 'Consulta de rotina', startsAt: '2026-03-03T10:00', patientName: 'Maria Silva' };

  it('books for the caller with source voice_ai; a retried request (no tool-call id) books once', async () => {
    const r = await voiceClinic(app, 'retell', { apiKey: API_KEY });
    const raw = fn('call-book', 'book_appointment', booking);
    const first = await send(r.path, raw);
    expect(first.body.result).toBe(
      'Marcação confirmada: Consulta de rotina, terça-feira, 3 de março, às 10:00 com Dr. Rui Lopes.',
    );
    // Retell re-sends a function that timed out: same call, same name, same arguments.
    const retries = await Promise.all(Array.from({ length: 6 }, () => send(r.path, raw)));
    for (const retry of retries) expect(retry.body.result).toBe(first.body.result);
    // Key order and null-vs-missing do not make it a different request.
    const reordered = await send(
      r.path,
      fn('call-book', 'book_appointment', {
        notes: null,
        startsAt: booking.startsAt,
        patientName: booking.patientName,
        service: booking.service,
      }),
    );
    expect(reordered.body.result).toBe(first.body.result);
    const booked = await appointmentsOf(app, r.clinic);
    expect(booked).toHaveLength(1);
    expect(booked[0]).toMatchObject({
      source: 'voice_ai',
      patientName: 'Maria Silva',
      professionalId: r.rui.id,
    });
    const [record] = await callsOf(r.clinic.key);
    expect(record).toMatchObject({
      platform: 'retell',
      externalCallId: 'call-book',
      fromNumberMasked: maskPhone(CALLER),
      toNumber: CLINIC_LINE,
      outcome: 'booking_created',
    });
    expect(booked[0]!.callId).toBe(record.id);
  });

  it('takes the arguments at the root (args_at_root)', async () => {
    const r = await voiceClinic(app, 'retell', { apiKey: API_KEY });
    const raw = JSON.stringify({ name: 'book_appointment', call: call('call-root'), ...booking });
    expect((await send(r.path, raw)).body.result).toMatch(/^Marcação confirmada/);
    expect(await appointmentsOf(app, r.clinic)).toHaveLength(1);
  });

  it('a deliberate repeat after a cancellation books again instead of replaying the first answer', async () => {
    const r = await voiceClinic(app, 'retell', { apiKey: API_KEY });
    const book = fn('call-again', 'book_appointment', booking);
    await send(r.path, book);
    const cancelled = await send(r.path, fn('call-again', 'cancel_appointment', {}));
    expect(cancelled.body.result).toMatch(/foi cancelada\.$/);
    const again = await send(r.path, book);
    expect(again.body.result).toMatch(/^Marcação confirmada/);
    const statuses = (await appointmentsOf(app, r.clinic)).map((a) => a.status).sort();
    expect(statuses).toEqual(['cancelled', 'confirmed']);
    // ...and a retry of that second booking still books nothing more.
    await send(r.path, book);
    expect(await appointmentsOf(app, r.clinic)).toHaveLength(2);
  });

  it("a caller cannot find, cancel or move another caller's appointment", async () => {
    const r = await voiceClinic(app, 'retell', { apiKey: API_KEY });
    const other = '+351969999999';
    await send(r.path, fn('call-a', 'book_appointment', booking));
    await send(
      r.path,
      fn(
        'call-b',
        'book_appointment',
        { ...booking, startsAt: '2026-03-04T10:00', patientName: 'Outro' },
        other,
      ),
    );
    const theirs = (await appointmentsOf(app, r.clinic)).find((a) => a.patientName === 'Outro')!;
    const found = await send(r.path, fn('call-a', 'find_appointments', {}));
    // With its reference (test/api/voice-answers.test.ts).
    const mine = (await appointmentsOf(app, r.clinic)).find((a) => a.patientName !== 'Outro')!;
    const ref = mine.id.replace(/-/g, '').slice(0, 8).toUpperCase();
    expect(found.body.result).toBe(
      `Tem Consulta de rotina terça-feira, 3 de março, às 10:00 com Dr. Rui Lopes [ref ${ref}].`,
    );
    const steal = await send(r.path, fn('call-a', 'cancel_appointment', { appointmentId: theirs.id }));
    expect(steal.body.result).toBe('Não encontrei marcações futuras para este número.');
    const move = await send(
      r.path,
      fn('call-a', 'reschedule_appointment', { appointmentId: theirs.id, newStartsAt: '2026-03-05T10:00' }),
    );
    expect(move.body.result).toBe('Não encontrei marcações futuras para este número.');
    const web = await send(r.path, fn('call-web', 'find_appointments', {}, null));
    expect(web.body.result).toMatch(/^Por segurança/);
    expect(
      (await app.request('GET', `/v1/appointments/${theirs.id}`, { key: r.clinic.key })).body,
    ).toMatchObject({
      status: 'confirmed',
      startsAt: '2026-03-04T10:00:00+00:00',
    });
  });

  it('on an outbound call the patient is the number dialled', async () => {
    const r = await voiceClinic(app, 'retell', { apiKey: API_KEY });
    const raw = JSON.stringify({
      name: 'list_services',
      call: call('call-out', null, { direction: 'outbound', from_number: CLINIC_LINE, to_number: CALLER }),
      args: {},
    });
    expect((await send(r.path, raw)).status).toBe(200);
    expect((await callsOf(r.clinic.key))[0]).toMatchObject({
      fromNumberMasked: maskPhone(CALLER),
      toNumber: CLINIC_LINE,
    });
  });
});

describe('Retell: call events', () => {
  it('call_started opens the call; call_ended closes it with duration, reason and transcript; call_analyzed adds nothing twice', async () => {
    const r = await voiceClinic(app, 'retell', { apiKey: API_KEY });
    const started = app.now() - 120_000;
    const base = call('call-events', CALLER, { start_timestamp: started });
    expect((await send(r.path, JSON.stringify({ event: 'call_started', call: base }))).status).toBe(204);
    const [open] = await callsOf(r.clinic.key);
    expect(open).toMatchObject({ status: 'in_progress', externalCallId: 'call-events' });

    await send(
      r.path,
      fn('call-events', 'book_appointment', {
        service: 'consulta',
        startsAt: '2026-03-03T11:00',
        patientName: 'Joana',
      }),
    );
    const ended = {
      ...base,
      call_status: 'ended',
      end_timestamp: started + 95_000,
      disconnection_reason: 'user_hangup',
      recording_url: 'https://example.com/rec.wav',
      transcript_object: [
        {
          role: 'agent',
          content: 'Clínica Sorriso, bom dia.',
          words: [{ word: 'Clínica', start: 0.4, end: 0.9 }],
        },
        {
          role: 'user',
          content: 'O meu número é 912 345 678.',
          words: [{ word: 'O', start: 3.2, end: 3.3 }],
        },
      ],
    };
    expect((await send(r.path, JSON.stringify({ event: 'call_ended', call: ended }))).status).toBe(204);
    const analyzed = { event: 'call_analyzed', call: { ...ended, call_analysis: { call_successful: true } } };
    expect((await send(r.path, JSON.stringify(analyzed))).status).toBe(204);

    const detail = await app.request('GET', `/v1/calls/${open.id}`, { key: r.clinic.key });
    expect(detail.body.call).toMatchObject({
      status: 'completed',
      durationSeconds: 95,
      endedReason: 'user_hangup',
      outcome: 'booking_created',
      fromNumberMasked: maskPhone(CALLER),
    });
    const speech = detail.body.events.filter((e: { eventType: string }) => e.eventType === 'speech');
    expect(speech.map((e: { transcript: string }) => e.transcript)).toEqual([
      'Clínica Sorriso, bom dia.',
      'O meu número é •••••••78.',
    ]);
  });
});
