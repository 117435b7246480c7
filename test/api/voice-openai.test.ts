// OpenAI: the generic /tools endpoint (Chat Completions tool_calls, Responses function_call items) and
// the Realtime SIP webhook's signature checks (signed with the standardwebhooks package). The accepted
// SIP call and its sideband run against a local stand-in for OpenAI in test/node/voice-openai-sip.test.ts.
import { Webhook } from 'standardwebhooks';
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

const API_KEY = 'sk-test-openai-0123456789';
const TOOL_SECRET = 'openai-tool-secret-0123456789-0123456789';
const WEBHOOK_SECRET = `whsec_${btoa('openai-webhook-signing-key-0123')}`;
const CREDENTIALS = { apiKey: API_KEY, webhookSecret: WEBHOOK_SECRET, toolSecret: TOOL_SECRET };
const CALLER = '+351912345678';

const chatCall = (id: string, name: string, args: unknown) => ({
  id,
  type: 'function',
  function: { name, arguments: JSON.stringify(args) },
});
const responsesCall = (callId: string, name: string, args: unknown) => ({
  type: 'function_call',
  id: `fc_${callId}`,
  call_id: callId,
  name,
  arguments: JSON.stringify(args),
  status: 'completed',
});

function tools(
  toolsUrl: string,
  body: unknown,
  headers: Record<string, string> = { authorization: `Bearer ${TOOL_SECRET}`, 'x-agendai-caller': CALLER },
) {
  return app.request('POST', new URL(toolsUrl).pathname, {
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...headers },
  });
}

const callsOf = async (key: string) => (await app.request('GET', '/v1/calls', { key })).body.items;
const booking = { service: 'Consulta de rotina', startsAt: '2026-03-03T10:00', patientName: 'Maria Silva' };

describe('OpenAI /tools: Chat Completions', () => {
  it('answers an assistant message with one tool message per tool call, in order', async () => {
    const o = await voiceClinic(app, 'openai', CREDENTIALS);
    const message = {
      role: 'assistant',
      content: null,
      tool_calls: [
        chatCall('call_list', 'list_services', {}),
        chatCall('call_check', 'check_availability', { service: 'consulta', date: '2026-03-03' }),
      ],
    };
    const reply = await tools(o.integration.toolsUrl, message);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual([
      {
        role: 'tool',
        tool_call_id: 'call_list',
        content: 'Temos: Consulta de rotina (30 min, 45 €) ou Higiene oral (60 min).',
      },
      {
        role: 'tool',
        tool_call_id: 'call_check',
        content: 'Há vagas terça-feira, 3 de março às 09:00, 09:30 ou 10:00 com Dr. Rui Lopes.',
      },
    ]);
    // The bare tool_calls array and a whole chat completion are read the same way.
    expect((await tools(o.integration.toolsUrl, message.tool_calls)).body).toEqual(reply.body);
    const completion = { id: 'chatcmpl_1', object: 'chat.completion', choices: [{ index: 0, message }] };
    expect((await tools(o.integration.toolsUrl, completion)).body).toEqual(reply.body);
  });

  it('books for the caller named in X-Agendai-Caller, once per tool-call id, grouped by X-Agendai-Call-Id', async () => {
    const o = await voiceClinic(app, 'openai', CREDENTIALS);
    const headers = {
      authorization: `Bearer ${TOOL_SECRET}`,
      'x-agendai-caller': CALLER,
      'x-agendai-call-id': 'conversation-42',
    };
    const body = [chatCall('call_book_1', 'book_appointment', booking)];
    const replies = await Promise.all(
      Array.from({ length: 6 }, () => tools(o.integration.toolsUrl, body, headers)),
    );
    for (const r of replies)
      expect(r.body[0].content).toBe(
        'Marcação confirmada: Consulta de rotina, terça-feira, 3 de março, às 10:00 com Dr. Rui Lopes.',
      );
    const booked = await appointmentsOf(app, o.clinic);
    expect(booked).toHaveLength(1);
    expect(booked[0]).toMatchObject({ source: 'voice_ai', patientName: 'Maria Silva' });
    const calls = await callsOf(o.clinic.key);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      platform: 'openai',
      externalCallId: 'conversation-42',
      fromNumberMasked: maskPhone(CALLER),
      outcome: 'booking_created',
    });
    expect(booked[0]!.callId).toBe(calls[0].id);
  });

  it("without a caller number it asks for one, and it never reaches another caller's appointments", async () => {
    const o = await voiceClinic(app, 'openai', CREDENTIALS);
    await tools(o.integration.toolsUrl, [chatCall('call_b', 'book_appointment', booking)], {
      authorization: `Bearer ${TOOL_SECRET}`,
      'x-agendai-caller': '+351969999999',
    });
    const anonymous = await tools(o.integration.toolsUrl, [chatCall('call_f', 'find_appointments', {})], {
      authorization: `Bearer ${TOOL_SECRET}`,
    });
    expect(anonymous.body[0].content).toMatch(/^Por segurança/);
    const mine = await tools(o.integration.toolsUrl, [chatCall('call_c', 'cancel_appointment', {})]);
    expect(mine.body[0].content).toBe('Não encontrei marcações futuras para este número.');
    expect((await appointmentsOf(app, o.clinic))[0]!.status).toBe('confirmed');
  });
});

describe('OpenAI /tools: Responses API', () => {
  it('runs the function_call items of a response and answers function_call_output items', async () => {
    const o = await voiceClinic(app, 'openai', CREDENTIALS, { language: 'en' });
    const response = {
      id: 'resp_1',
      object: 'response',
      output: [
        { type: 'reasoning', id: 'rs_1', summary: [] },
        responsesCall('call_r1', 'check_availability', { service: 'consulta', date: '2026-03-03' }),
        { type: 'message', id: 'msg_1', role: 'assistant', content: [] },
      ],
    };
    const reply = await tools(o.integration.toolsUrl, response);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual([
      {
        type: 'function_call_output',
        call_id: 'call_r1',
        output: 'There is availability on Tuesday 3 March at 09:00, 09:30 or 10:00 with Dr. Rui Lopes.',
      },
    ]);
    expect((await tools(o.integration.toolsUrl, response.output)).body).toEqual(reply.body);
    expect((await tools(o.integration.toolsUrl, response.output[1])).body).toEqual(reply.body);
    const book = responsesCall('call_r2', 'book_appointment', booking);
    await Promise.all([tools(o.integration.toolsUrl, book), tools(o.integration.toolsUrl, [book])]);
    expect(await appointmentsOf(app, o.clinic)).toHaveLength(1);
  });

  it('a body with no tool call is 400', async () => {
    const o = await voiceClinic(app, 'openai', CREDENTIALS);
    for (const body of [{}, [], { role: 'assistant', content: 'hi' }, { output: [{ type: 'message' }] }]) {
      const reply = await tools(o.integration.toolsUrl, body);
      expect(reply.status).toBe(400);
      expect(reply.body.error).toBe('malformed_payload');
    }
  });
});

describe('OpenAI /tools: authentication', () => {
  it('takes only the toolSecret as Bearer: not the API key, not the webhook secret; 401 records nothing', async () => {
    const o = await voiceClinic(app, 'openai', CREDENTIALS);
    const body = [chatCall('call_x', 'list_services', {})];
    for (const token of [API_KEY, WEBHOOK_SECRET, `${TOOL_SECRET}x`, '']) {
      const reply = await tools(o.integration.toolsUrl, body, { authorization: `Bearer ${token}` });
      expect(reply.status).toBe(401);
      expect(reply.body.error).toBe('invalid_signature');
    }
    expect((await tools(o.integration.toolsUrl, body, {})).status).toBe(401);
    expect(await callsOf(o.clinic.key)).toHaveLength(0);
    // An integration made for Realtime SIP only has no /tools door at all.
    const sipOnly = await voiceClinic(app, 'openai', { apiKey: API_KEY, webhookSecret: WEBHOOK_SECRET });
    expect((await tools(sipOnly.integration.toolsUrl, body)).status).toBe(401);
  });

  it('credentials need a webhook secret or a tool secret, and an https baseURL', async () => {
    const clinic = await app.createClinic();
    for (const credentials of [
      { apiKey: API_KEY },
      { ...CREDENTIALS, baseURL: 'http://10.0.0.1/v1' },
      { ...CREDENTIALS, surprise: 1 },
    ]) {
      const reply = await app.request('POST', '/v1/voice/integrations', {
        key: clinic.key,
        body: { platform: 'openai', credentials },
      });
      expect(reply.status).toBe(422);
    }
  });

  it('refuses a baseURL that is not a public internet address, when set and when changed (issue 10, finding 2)', async () => {
    const clinic = await app.createClinic();
    for (const baseURL of [
      'https://127.0.0.1:8443/v1',
      'https://localhost/v1',
      'https://169.254.169.254/v1',
      'https://[::ffff:10.0.0.1]/v1',
      'https://0x7f000001/v1',
      'https://[fd00::1]/v1',
    ]) {
      const reply = await app.request('POST', '/v1/voice/integrations', {
        key: clinic.key,
        body: { platform: 'openai', credentials: { ...CREDENTIALS, baseURL } },
      });
      expect(reply.status, baseURL).toBe(422);
      expect(reply.body).toMatchObject({
        error: 'validation_failed',
        errors: [{ path: 'credentials.baseURL' }],
      });
    }
    const created = await app.request('POST', '/v1/voice/integrations', {
      key: clinic.key,
      body: { platform: 'openai', credentials: CREDENTIALS },
    });
    expect(created.status).toBe(201);
    const patched = await app.request('PATCH', `/v1/voice/integrations/${created.body.id}`, {
      key: clinic.key,
      body: { credentials: { ...CREDENTIALS, baseURL: 'https://192.168.1.20/v1' } },
    });
    expect(patched.status).toBe(422);
    expect(patched.body.errors[0].path).toBe('credentials.baseURL');
  });
});

describe('OpenAI Realtime SIP webhook: signature', () => {
  const incoming = (callId: string) =>
    JSON.stringify({
      object: 'event',
      id: `evt_${callId}`,
      type: 'realtime.call.incoming',
      created_at: Math.floor(Date.now() / 1000),
      data: {
        call_id: callId,
        sip_headers: [
          { name: 'From', value: `"Maria" <sip:${CALLER}@sip.example.com>;tag=abc` },
          { name: 'To', value: 'sip:+351210000000@sip.api.openai.com' },
          { name: 'Call-ID', value: 'sip-call-1' },
        ],
      },
    });

  /** Standard Webhooks headers as OpenAI sends them; the SDK checks them against the wall clock. */
  const signed = (raw: string, at = new Date(), secret = WEBHOOK_SECRET, id = 'wh_1') => ({
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(id, at, raw),
  });

  const post = (path: string, raw: string, headers: Record<string, string>) =>
    app.request('POST', path, { body: raw, headers: { 'content-type': 'application/json', ...headers } });

  it('rejects forged, stale, re-serialised or unsigned events with 401 before any call record', async () => {
    const o = await voiceClinic(app, 'openai', CREDENTIALS);
    const raw = incoming('rtc_forged');
    const stale = new Date(Date.now() - 301_000);
    const rejected = [
      await post(o.path, raw, signed(raw, new Date(), `whsec_${btoa('someone-else-signing-key-0123')}`)),
      await post(o.path, raw, { ...signed(raw), 'webhook-id': 'wh_2' }),
      await post(o.path, raw, signed(raw, stale)),
      await post(o.path, raw, signed(raw, new Date(Date.now() + 301_000))),
      await post(o.path, JSON.stringify(JSON.parse(raw), null, 2), signed(raw)),
      await post(o.path, raw, {}),
    ];
    for (const reply of rejected) {
      expect(reply.status).toBe(401);
      expect(reply.body.error).toBe('invalid_signature');
    }
    expect(await callsOf(o.clinic.key)).toHaveLength(0);
    // Tool-only integrations have no webhook secret: nothing on the webhook URL is accepted.
    const toolsOnly = await voiceClinic(app, 'openai', { apiKey: API_KEY, toolSecret: TOOL_SECRET });
    expect((await post(toolsOnly.path, raw, signed(raw))).status).toBe(401);
  });

  it('acknowledges a correctly signed event of another type without touching a call', async () => {
    const o = await voiceClinic(app, 'openai', CREDENTIALS);
    const raw = JSON.stringify({
      object: 'event',
      id: 'evt_other',
      type: 'response.completed',
      created_at: Math.floor(Date.now() / 1000),
      data: { id: 'resp_1' },
    });
    const reply = await post(o.path, raw, signed(raw));
    expect(reply.status).toBe(200);
    expect(await callsOf(o.clinic.key)).toHaveLength(0);
  });
});
