// Free text carries no control, bidi-override or invisible characters, at every door: 422 naming the
// field on the REST API and the booking page, a tool error on the voice door, and nothing stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import { bookingClinic } from '../support/booking.js';
import { appointmentBody } from '../support/factories.js';
import type { TestApp } from '../support/types.js';
import { appointmentsOf } from '../support/voice.js';

const SECRET = 'control-characters-vapi-secret-0123456789';
const UNSAFE = {
  NUL: 'Maria\u0000Silva',
  ESC: 'Maria\u001b[31mSilva',
  DEL: 'Maria\u007fSilva',
  C1: 'Maria\u0085Silva',
  'right-to-left override': 'Maria \u202eavliS',
  'isolate (U+2066)': 'Maria \u2066Silva\u2069',
  'zero width space': 'Ma\u200bria Silva',
  BOM: 'Maria\ufeffSilva',
  'line separator': 'Maria\u2028Silva',
};

let app: TestApp;
let b: Awaited<ReturnType<typeof bookingClinic>>;
beforeAll(async () => {
  app = await startTestApp();
  b = await bookingClinic(app);
  const integration = await app.request('POST', '/v1/voice/integrations', {
    key: b.clinic.key,
    body: { platform: 'vapi', name: 'Linha', credentials: { secret: SECRET } },
  });
  expect(integration.status, integration.text).toBe(201);
  vapiPath = new URL(integration.body.webhookUrl).pathname;
});
afterAll(() => app.close());
let vapiPath: string;

let slot = 0;
const nextSlot = () => {
  const n = slot++;
  const minutes = 9 * 60 + (n % 8) * 30;
  return `2026-03-${String(3 + Math.floor(n / 8)).padStart(2, '0')}T${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:00Z`;
};
const book = (extra: Record<string, unknown>) =>
  app.request('POST', '/v1/appointments', {
    key: b.clinic.key,
    body: appointmentBody({ professional: b.ana, service: b.consulta }, nextSlot(), extra),
  });

const expect422 = (reply: { status: number; body: any; text: string }, path: string) => {
  expect(reply.status, reply.text).toBe(422);
  expect(reply.body.errors).toContainEqual({ path, message: expect.stringMatching(/U\+[0-9A-F]{4}/) });
};

describe('the REST API refuses unsafe characters in every free-text field', () => {
  it.each(Object.entries(UNSAFE))('patientName with %s', async (_, name) => {
    expect422(await book({ patientName: name }), 'patientName');
  });

  it('notes, reasons, names, descriptions and metadata values, on create and on change', async () => {
    expect422(await book({ patientNotes: 'Alergia\u202e' }), 'patientNotes');
    expect422(await book({ metadata: { pms: 'A\u0000' } }), 'metadata.pms');
    const booked = await book({});
    expect(booked.status, booked.text).toBe(201);
    const id = booked.body.id as string;
    const key = b.clinic.key;
    expect422(
      await app.request('PATCH', `/v1/appointments/${id}`, { key, body: { patientNotes: 'x\u0007' } }),
      'patientNotes',
    );
    expect422(
      await app.request('POST', `/v1/appointments/${id}/cancel`, { key, body: { reason: 'bye\u2067' } }),
      'reason',
    );
    expect422(
      await app.request('POST', '/v1/professionals', { key, body: { name: 'Dr.\u200b Who' } }),
      'name',
    );
    expect422(
      await app.request('POST', '/v1/services', {
        key,
        body: { name: 'Limpeza', durationMinutes: 30, description: 'ok\u001b' },
      }),
      'description',
    );
    expect422(await app.request('PATCH', '/v1/tenants/me', { key, body: { name: 'Clínica\u202d' } }), 'name');
    expect422(
      await app.request('POST', `/v1/professionals/${b.ana.id}/exceptions`, {
        key,
        body: { kind: 'holiday', date: '2026-12-24', reason: 'Natal\u0000' },
      }),
      'reason',
    );
    const after = await app.request('GET', `/v1/appointments/${id}`, { key });
    expect(after.body.status).toBe('confirmed');
  });

  it('keeps what people do type: accents, apostrophes, ZWNJ and emoji joiners, line breaks in notes', async () => {
    const reply = await book({
      patientName: "Zoë O'Brien-Ñúñez \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
      patientNotes: 'Primeira linha\nSegunda\tlinha 👩‍⚕️',
    });
    expect(reply.status, reply.text).toBe(201);
    expect(reply.body.patientNotes).toBe('Primeira linha\nSegunda\tlinha 👩‍⚕️');
  });

  it('refuses line breaks in a name', async () => {
    expect422(await book({ patientName: 'Maria\nSilva' }), 'patientName');
  });
});

describe('the booking page and the voice door apply the same rule', () => {
  it('booking page: 422 for a name or notes with unsafe characters, nothing booked', async () => {
    const before = (await appointmentsOf(app, b.clinic)).length;
    for (const extra of [{ patientName: 'Maria \u202eavliS' }, { notes: 'ok\u0000' }]) {
      const reply = await app.request('POST', `/booking/${b.slug}/api/appointments`, {
        body: {
          serviceTypeId: b.consulta.id,
          startsAt: '2026-03-09T10:00:00+00:00',
          patientName: 'Maria Silva',
          patientPhone: '912 345 678',
          ...extra,
        },
      });
      expect(reply.status, reply.text).toBe(422);
      expect(reply.text).toContain('U+');
    }
    expect((await appointmentsOf(app, b.clinic)).length).toBe(before);
  });

  it('voice: a tool call with a bidi override in the name books nothing and says why', async () => {
    const before = (await appointmentsOf(app, b.clinic)).length;
    const reply = await app.request('POST', vapiPath, {
      headers: { 'x-vapi-secret': SECRET },
      body: {
        message: {
          type: 'tool-calls',
          call: { id: 'call-bidi', type: 'inboundPhoneCall', customer: { number: '+351912345678' } },
          toolCallList: [
            {
              id: 'tc-bidi',
              type: 'function',
              function: {
                name: 'book_appointment',
                arguments: {
                  service: 'Consulta de rotina',
                  startsAt: '2026-03-10T10:00',
                  patientName: 'Maria \u202eavliS',
                },
              },
            },
          ],
        },
      },
    });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.text).toContain('U+202E');
    expect((await appointmentsOf(app, b.clinic)).length).toBe(before);
  });
});
