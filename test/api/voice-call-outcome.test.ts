// A call's outcome is the highest-ranked of its tool calls' outcomes (src/voice/call-log.ts), and the
// rank is decided in the UPDATE itself: the log is written after the answer, so a later tool call of
// the same call, whose session read the call before the booking's log landed, must not overwrite a
// booking with a lower-ranked "message taken".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import type { TestApp } from '../support/types.js';
import { VAPI_SECRET, vapiCaller } from '../support/vapi.js';
import { voiceClinic } from '../support/voice.js';

let app: TestApp;
beforeAll(async () => {
  // countTrips: work left for after the answer is held until runAfterAnswer (where the runtime allows).
  app = await startTestApp({ countTrips: true });
});
afterAll(() => app.close());

describe("a call's outcome", () => {
  it('keeps a booking when a lower-ranked outcome of the same call is logged after it', async () => {
    const v = await voiceClinic(app, 'vapi', { secret: VAPI_SECRET });
    const call = vapiCaller(app, v.path, '+351912345678', 'call-ranked');
    await call('list_services');
    await app.runAfterAnswer();

    const booked = await call('book_appointment', {
      service: 'Higiene oral',
      startsAt: '2026-03-03T10:00',
      patientName: 'Ana Lima',
    });
    expect(booked).toMatch(/^Marcação confirmada/);
    // Answered before the booking's log was written: this request's session still reads no outcome.
    const taken = await call('take_message', { callerName: 'Ana Lima', reason: 'Saber o preço' });
    expect(taken).toMatch(/^Mensagem registada/);
    await app.runAfterAnswer();

    const calls = (await app.request('GET', '/v1/calls', { key: v.clinic.key })).body.items;
    expect(calls).toHaveLength(1);
    expect(calls[0].outcome).toBe('booking_created');
  });
});
