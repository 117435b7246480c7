// A suspended clinic's line (issue 11, #4): platforms ignore error statuses (Vapi drops a 403 and the
// caller hears silence), so every platform gets its normal success answer with a refusal the agent can
// speak, in the clinic's language; nothing is booked, the call and its refused tool calls are recorded,
// and a bad signature or secret is still 401. Payloads as each platform documents them; signatures by
// the platforms' SDKs where they sign (retell-sdk, twilio, standardwebhooks for OpenAI).
import { createHmac } from 'node:crypto';
import { symmetric } from 'retell-sdk/lib/webhook_auth';
import { Webhook } from 'standardwebhooks';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import type { TestApp } from '../support/types.js';
import { appointmentsOf, voiceClinic } from '../support/voice.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const CALLER = '+351912345678';
const LINE = '+351210000000';
const SECRET = 'vapi-shared-secret-0123456789-0123456789';
const REFUSAL_PT =
  'De momento não consigo tratar de marcações por telefone para esta clínica. Por favor, contacte a clínica por outra via.';
const REFUSAL_EN =
  'I cannot handle appointments by phone for this clinic at the moment. Please contact the clinic another way.';
const BOOKING = { service: 'Consulta de rotina', startsAt: '2026-03-03T10:00', patientName: 'Maria Silva' };

async function suspended(platform: string, credentials: Record<string, unknown>, language = 'pt-PT') {
  const v = await voiceClinic(app, platform, credentials, { language });
  await app.setTenantStatus(v.clinic.tenantId, 'canceled');
  return v;
}

/** The clinic's records once it is active again: its calls with their events, and its appointments. */
async function recordsOf(v: Awaited<ReturnType<typeof voiceClinic>>) {
  await app.setTenantStatus(v.clinic.tenantId, 'active');
  const calls = (await app.request('GET', '/v1/calls', { key: v.clinic.key })).body.items as { id: string }[];
  const details = await Promise.all(
    calls.map(async (c) => (await app.request('GET', `/v1/calls/${c.id}`, { key: v.clinic.key })).body),
  );
  return { calls: details, appointments: await appointmentsOf(app, v.clinic) };
}

const post = (path: string, body: string, headers: Record<string, string>) =>
  app.request('POST', path, { body, headers: { 'content-type': 'application/json', ...headers } });

describe('a suspended clinic answers every platform with its success envelope and a spoken refusal', () => {
  it('Vapi: 200 with one result per tool call, the refusal in pt-PT; recorded as refused; nothing booked', async () => {
    const v = await suspended('vapi', { secret: SECRET });
    const body = JSON.stringify({
      message: {
        type: 'tool-calls',
        call: { id: 'call-suspended', type: 'inboundPhoneCall', customer: { number: CALLER } },
        phoneNumber: { number: LINE },
        toolCallList: [
          { id: 'tc-1', type: 'function', function: { name: 'list_services', arguments: {} } },
          { id: 'tc-2', type: 'function', function: { name: 'book_appointment', arguments: BOOKING } },
        ],
      },
    });
    const reply = await post(v.path, body, { authorization: `Bearer ${SECRET}` });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      results: [
        { toolCallId: 'tc-1', result: REFUSAL_PT },
        { toolCallId: 'tc-2', result: REFUSAL_PT },
      ],
    });
    // A wrong secret is still refused as such.
    const forged = await post(v.path, body, { authorization: 'Bearer not-the-secret' });
    expect(forged.status).toBe(401);
    expect(forged.body.error).toBe('invalid_signature');

    const { calls, appointments } = await recordsOf(v);
    expect(appointments).toEqual([]);
    expect(calls).toHaveLength(1);
    const tools = calls[0].events.filter((e: { eventType: string }) => e.eventType === 'tool_call');
    expect(tools.map((e: { toolName: string; toolOutput: unknown }) => [e.toolName, e.toolOutput])).toEqual([
      [
        'list_services',
        expect.objectContaining({ ok: false, refusal: 'tenant_inactive', result: REFUSAL_PT }),
      ],
      [
        'book_appointment',
        expect.objectContaining({ ok: false, refusal: 'tenant_inactive', result: REFUSAL_PT }),
      ],
    ]);
  });

  it('Vapi: end-of-call reports are acknowledged (200) and close the call', async () => {
    const v = await suspended('vapi', { secret: SECRET });
    const report = JSON.stringify({
      message: {
        type: 'end-of-call-report',
        call: { id: 'call-ended', type: 'inboundPhoneCall', customer: { number: CALLER } },
        phoneNumber: { number: LINE },
        endedReason: 'customer-ended-call',
        startedAt: new Date(app.now() - 30_000).toISOString(),
        endedAt: new Date(app.now()).toISOString(),
      },
    });
    const reply = await post(v.path, report, { 'x-vapi-secret': SECRET });
    expect(reply.status).toBe(200);
    const { calls } = await recordsOf(v);
    expect(calls[0].call).toMatchObject({ status: 'completed', durationSeconds: 30 });
  });

  it('Retell: 200 {result} with the refusal in English for an English-speaking clinic; bad signature 401', async () => {
    const apiKey = 'key_retell_0123456789abcdef';
    const r = await suspended('retell', { apiKey }, 'en');
    const raw = JSON.stringify({
      name: 'book_appointment',
      call: {
        call_id: 'call_retell_s',
        call_type: 'phone_call',
        agent_id: 'agent_abc',
        call_status: 'ongoing',
        direction: 'inbound',
        from_number: CALLER,
        to_number: LINE,
      },
      args: BOOKING,
    });
    const reply = await post(r.path, raw, {
      'x-retell-signature': await symmetric.sign(raw, apiKey, app.now()),
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ result: REFUSAL_EN });
    const forged = await symmetric.sign(raw, 'key_someone_else_0123', app.now());
    expect((await post(r.path, raw, { 'x-retell-signature': forged })).status).toBe(401);
    const { appointments, calls } = await recordsOf(r);
    expect(appointments).toEqual([]);
    expect(calls[0].events[0].toolOutput).toMatchObject({ ok: false, refusal: 'tenant_inactive' });
  });

  it('ElevenLabs: server tools answer 200 {result} with the refusal; the post-call webhook is acknowledged', async () => {
    const toolSecret = 'el-tool-secret-0123456789-0123456789';
    const webhookSecret = 'wsec_el_webhook_0123456789';
    const e = await suspended('elevenlabs', { toolSecret, webhookSecret });
    const toolPath = `${new URL(e.integration.toolsUrl).pathname}/book_appointment`;
    const raw = JSON.stringify({ ...BOOKING, caller_id: CALLER, conversation_id: 'conv_s' });
    const reply = await post(toolPath, raw, { 'x-agendai-secret': toolSecret });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ result: REFUSAL_PT });
    expect((await post(toolPath, raw, { 'x-agendai-secret': 'wrong' })).status).toBe(401);

    const postCall = JSON.stringify({
      type: 'post_call_transcription',
      event_timestamp: Math.floor(app.now() / 1000),
      data: {
        agent_id: 'agent_1',
        conversation_id: 'conv_s',
        status: 'done',
        transcript: [{ role: 'agent', message: REFUSAL_PT, time_in_call_secs: 2 }],
        metadata: { start_time_unix_secs: Math.floor(app.now() / 1000) - 20, call_duration_secs: 20 },
      },
    });
    const t = Math.floor(app.now() / 1000);
    const signature = `t=${t},v0=${createHmac('sha256', webhookSecret).update(`${t}.${postCall}`).digest('hex')}`;
    expect((await post(e.path, postCall, { 'elevenlabs-signature': signature })).status).toBe(200);
    const { appointments, calls } = await recordsOf(e);
    expect(appointments).toEqual([]);
    expect(calls[0].call).toMatchObject({ status: 'completed', durationSeconds: 20 });
  });

  it('OpenAI /tools: the tool messages carry the refusal; the Realtime webhook acknowledges other events', async () => {
    const toolSecret = 'openai-tool-secret-0123456789-0123456789';
    const webhookSecret = `whsec_${btoa('openai-webhook-signing-key-0123')}`;
    const o = await suspended('openai', { apiKey: 'sk-test-openai-0123456789', toolSecret, webhookSecret });
    const calls = [
      {
        id: 'call_s',
        type: 'function',
        function: { name: 'book_appointment', arguments: JSON.stringify(BOOKING) },
      },
    ];
    const reply = await post(new URL(o.integration.toolsUrl).pathname, JSON.stringify(calls), {
      authorization: `Bearer ${toolSecret}`,
      'x-agendai-caller': CALLER,
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual([{ role: 'tool', tool_call_id: 'call_s', content: REFUSAL_PT }]);
    expect(
      (
        await post(new URL(o.integration.toolsUrl).pathname, JSON.stringify(calls), {
          authorization: 'Bearer no',
        })
      ).status,
    ).toBe(401);

    const event = JSON.stringify({
      object: 'event',
      id: 'evt_s',
      type: 'realtime.call.ended',
      created_at: Math.floor(Date.now() / 1000),
      data: { call_id: 'rtc_s' },
    });
    const at = new Date();
    const headers = {
      'webhook-id': 'wh_s',
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(webhookSecret).sign('wh_s', at, event),
    };
    expect((await post(o.path, event, headers)).status).toBe(200);
    expect((await recordsOf(o)).appointments).toEqual([]);
  });

  it('Telnyx and Twilio: call events get their usual 200 and still make the call record', async () => {
    const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const publicKey = btoa(
      String.fromCharCode(...new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey))),
    );
    const telnyx = await suspended('telnyx', { publicKey });
    const raw = JSON.stringify({
      data: {
        record_type: 'event',
        event_type: 'call.initiated',
        id: crypto.randomUUID(),
        occurred_at: new Date(app.now()).toISOString(),
        payload: { call_control_id: 'v3:s', from: CALLER, to: LINE, direction: 'incoming', state: 'parked' },
      },
      meta: { attempt: 1, delivered_to: 'https://clinic.example/webhook' },
    });
    const timestamp = String(Math.floor(app.now() / 1000));
    const signed = await crypto.subtle.sign(
      { name: 'Ed25519' },
      pair.privateKey,
      new TextEncoder().encode(`${timestamp}|${raw}`),
    );
    const telnyxReply = await post(telnyx.path, raw, {
      'telnyx-timestamp': timestamp,
      'telnyx-signature-ed25519': btoa(String.fromCharCode(...new Uint8Array(signed))),
    });
    expect(telnyxReply.status).toBe(200);
    expect((await recordsOf(telnyx)).calls).toHaveLength(1);

    const authToken = 'twilio-auth-token-0123456789abcdef';
    const twilio = await suspended('twilio', { authToken });
    const params = {
      AccountSid: 'AC00000000000000000000000000000000',
      CallSid: 'CA-s',
      CallStatus: 'ringing',
      Direction: 'inbound',
      From: CALLER,
      To: LINE,
    };
    const twilioReply = await app.request('POST', twilio.path, {
      body: new URLSearchParams(params).toString(),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': getExpectedTwilioSignature(authToken, twilio.integration.webhookUrl, params),
      },
    });
    expect(twilioReply.status).toBe(200);
    expect(twilioReply.text).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    expect((await recordsOf(twilio)).calls).toHaveLength(1);
  });
});
