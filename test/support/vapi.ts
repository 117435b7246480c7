// Speaking to the voice door as Vapi does (the simplest platform envelope): one tool call per request,
// from a given caller number, answered with Vapi's `results[]`.
import type { TestApp } from './types.js';

export const VAPI_SECRET = 'vapi-shared-secret-0123456789-0123456789';

/** A function that runs one tool as the given caller (null: withheld) and returns the spoken result. */
export function vapiCaller(app: TestApp, path: string, caller: string | null, callId = `call-${caller}`) {
  return async (
    name: string,
    args: Record<string, unknown> = {},
    toolCallId: string = crypto.randomUUID(),
  ) => {
    const reply = await app.request('POST', path, {
      body: JSON.stringify({
        message: {
          type: 'tool-calls',
          call: {
            id: callId,
            type: caller ? 'inboundPhoneCall' : 'webCall',
            ...(caller ? { customer: { number: caller } } : {}),
          },
          phoneNumber: { number: '+351210000000' },
          toolCallList: [{ id: toolCallId, type: 'function', function: { name, arguments: args } }],
        },
      }),
      headers: { 'content-type': 'application/json', 'x-vapi-secret': VAPI_SECRET },
    });
    if (reply.status !== 200) throw new Error(`vapi: ${reply.status} ${reply.text}`);
    return reply.body.results[0].result as string;
  };
}

/**
 * The voice turns of a caller who asks what is free on 3 March 2026 and books oral hygiene at 10:00
 * as Ana Lima, checking each answer (the clinic of `voiceClinic` in ./voice.ts).
 */
export async function checkThenBook(call: ReturnType<typeof vapiCaller>) {
  if (!/^Há vagas/.test(await call('check_availability', { service: 'consulta', date: '2026-03-03' })))
    throw new Error('check_availability found no free slot');
  const booked = await call('book_appointment', {
    service: 'Higiene oral',
    startsAt: '2026-03-03T10:00',
    patientName: 'Ana Lima',
  });
  if (!/^Marcação confirmada/.test(booked)) throw new Error(`book_appointment answered: ${booked}`);
  return booked;
}

/** The references "[ref XXXXXXXX]" an answer gives, in order. */
export const referencesIn = (answer: string) =>
  [...answer.matchAll(/\[ref ([0-9A-F]{8})\]/g)].map((m) => m[1]!);

/** An appointment's reference as the doors show it (first eight hex digits of its id). */
export const referenceOf = (id: string) => id.replace(/-/g, '').slice(0, 8).toUpperCase();
