// transfer_to_human on Retell: a custom function cannot move a call itself, so the one that may go
// ahead answers `transfer_number`, which the function's response_variables store as a dynamic
// variable for Retell's transfer_call tool ({{transfer_number}}). Closed or unconfigured, there is
// no number and the caller hears why. Bodies signed with retell-sdk, shaped as Retell documents them.

import { symmetric } from 'retell-sdk/lib/webhook_auth';
import type { LlmCreateParams } from 'retell-sdk/resources/llm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import { DEFAULT_NOW } from '../support/http.js';
import type { TestApp } from '../support/types.js';
import { voiceClinic } from '../support/voice.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const API_KEY = 'key_retell_0123456789abcdef';
const CALLER = '+351912345678';

const fn = (callId: string, name: string, args: unknown) =>
  JSON.stringify({
    name,
    call: {
      call_id: callId,
      call_type: 'phone_call',
      agent_id: 'agent_abc',
      call_status: 'ongoing',
      direction: 'inbound',
      from_number: CALLER,
      to_number: '+351210000000',
      metadata: {},
    },
    args,
  });

async function send(path: string, raw: string) {
  const signature = await symmetric.sign(raw, API_KEY, app.now());
  const reply = await app.request('POST', path, {
    body: raw,
    headers: { 'content-type': 'application/json', 'x-retell-signature': signature },
  });
  expect(reply.status).toBe(200);
  return reply.body;
}

async function clinic(config: Record<string, unknown>) {
  app.setNow(DEFAULT_NOW); // Monday 09:00 in Lisbon: open
  const r = await voiceClinic(app, 'retell', { apiKey: API_KEY });
  await app.request('PATCH', '/v1/tenants/me', {
    key: r.clinic.key,
    body: { config: { language: 'pt-PT', ...config } },
  });
  return r;
}

// What the README tells a clinic to configure on Retell, checked against retell-sdk's own types.
const retellTools = (url: string): LlmCreateParams['general_tools'] => [
  {
    type: 'custom',
    name: 'transfer_to_human',
    url,
    speak_after_execution: true,
    response_variables: { transfer_number: 'transfer_number' },
  },
  {
    type: 'transfer_call',
    name: 'transfer_call',
    transfer_destination: { type: 'predefined', number: '{{transfer_number}}' },
    transfer_option: { type: 'cold_transfer' },
  },
];

describe('Retell: transfer_to_human', () => {
  it("in hours: answers the reception's number as transfer_number for Retell's transfer_call", async () => {
    const r = await clinic({ fallbackHumanNumber: '210 000 999' });
    const tools = retellTools(r.integration.webhookUrl)!;
    const variable = (tools[0] as LlmCreateParams.CustomTool).response_variables!.transfer_number!;
    const body = await send(
      r.path,
      fn('call-in', 'transfer_to_human', { reason: 'Quer falar com a receção' }),
    );
    expect(body).toEqual({
      result: 'Vou passar a chamada para a receção. Um momento, por favor.',
      // A national number is read with the clinic's country: Retell dials E.164.
      transfer_number: '+351210000999',
    });
    expect(body[variable]).toBe('+351210000999');
    const calls = (await app.request('GET', '/v1/calls', { key: r.clinic.key })).body.items;
    expect(calls[0].outcome).toBe('transferred_to_human');
  });

  it('out of hours: no number, says when the clinic opens and offers a message', async () => {
    const r = await clinic({ fallbackHumanNumber: '+351210000999' });
    app.setNow(Date.parse('2026-03-02T13:15:00Z')); // lunch break
    expect(await send(r.path, fn('call-lunch', 'transfer_to_human', {}))).toEqual({
      result:
        'A receção está fechada. Abre hoje às 14:00. Posso deixar uma mensagem para lhe ligarem de volta?',
    });
  });

  it('no number configured: says so and offers a message', async () => {
    const r = await clinic({ fallbackHumanNumber: null });
    expect(await send(r.path, fn('call-none', 'transfer_to_human', {}))).toEqual({
      result:
        'Não consigo passar a chamada: a clínica não tem um número de receção configurado. Posso deixar uma mensagem para lhe ligarem de volta?',
    });
    // The message it offers, through the same function door.
    expect(
      await send(
        r.path,
        fn('call-none', 'take_message', { callerName: 'Ana', reason: 'Pedir fatura', urgency: null }),
      ),
    ).toEqual({ result: 'Mensagem registada. A clínica vai ligar-lhe de volta.' });
  });
});
