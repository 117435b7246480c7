// ElevenLabs Agents: server tools (X-Agendai-Secret) and the signed post-call webhook.
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

const TOOL_SECRET = 'el-tool-secret-0123456789-0123456789';
const WEBHOOK_SECRET = 'wsec_el_webhook_0123456789';
const CREDENTIALS = { toolSecret: TOOL_SECRET, webhookSecret: WEBHOOK_SECRET };
const CALLER = '+351912345678';

/** A server tool's request: its request_body_schema filled by the LLM plus the mapped system variables. */
const toolBody = (conversationId: string, args: Record<string, unknown>, caller: string | null = CALLER) =>
  JSON.stringify({ ...args, caller_id: caller ?? '', conversation_id: conversationId });

function tool(
  toolsUrl: string,
  name: string,
  raw: string,
  headers: Record<string, string> = { 'x-agendai-secret': TOOL_SECRET },
) {
  return app.request('POST', `${new URL(toolsUrl).pathname}/${name}`, {
    body: raw,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

const sign = (raw: string, t: number, secret = WEBHOOK_SECRET) =>
  `t=${t},v0=${createHmac('sha256', secret).update(`${t}.${raw}`).digest('hex')}`;

function postCall(path: string, raw: string, signature = sign(raw, Math.floor(app.now() / 1000))) {
  return app.request('POST', path, {
    body: raw,
    headers: { 'content-type': 'application/json', 'elevenlabs-signature': signature },
  });
}

const callsOf = async (key: string) => (await app.request('GET', '/v1/calls', { key })).body.items;

describe('ElevenLabs: server tools', () => {
  it('run with the tool secret (header or Bearer); a missing or wrong secret is 401 and records nothing', async () => {
    const e = await voiceClinic(app, 'elevenlabs', CREDENTIALS);
    const raw = toolBody('conv_1', {});
    const reply = await tool(e.integration.toolsUrl, 'list_services', raw);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      result: 'Temos: Consulta de rotina (30 min, 45 €) ou Higiene oral (60 min).',
    });
    expect(
      (await tool(e.integration.toolsUrl, 'list_services', raw, { authorization: `Bearer ${TOOL_SECRET}` }))
        .status,
    ).toBe(200);

    const other = await voiceClinic(app, 'elevenlabs', CREDENTIALS);
    for (const headers of [
      {},
      { 'x-agendai-secret': 'wrong-secret-0123456789' },
      { 'x-agendai-secret': `${TOOL_SECRET}x` },
      { authorization: `Bearer ${WEBHOOK_SECRET}` },
    ] as Record<string, string>[]) {
      const rejected = await tool(other.integration.toolsUrl, 'list_services', raw, headers);
      expect(rejected.status).toBe(401);
      expect(rejected.body.error).toBe('invalid_signature');
    }
    expect(await callsOf(other.clinic.key)).toHaveLength(0);
    // Server tools name themselves in the URL; /tools alone is not one.
    const bare = await app.request('POST', new URL(e.integration.toolsUrl).pathname, {
      body: raw,
      headers: { 'content-type': 'application/json', 'x-agendai-secret': TOOL_SECRET },
    });
    expect(bare.status).toBe(404);
  });

  it('the pasted definitions reach the tools: a booking for the caller, once however often it is re-sent', async () => {
    const e = await voiceClinic(app, 'elevenlabs', CREDENTIALS);
    const definitions = await app.request('GET', '/v1/voice/tools', {
      key: e.clinic.key,
      query: { format: 'elevenlabs', integrationId: e.integration.id },
    });
    const book = definitions.body.tools.find((t: { name: string }) => t.name === 'book_appointment');
    expect(book.api_schema.url).toBe(`${e.integration.toolsUrl}/book_appointment`);

    const raw = toolBody('conv_book', {
      service: 'Consulta de rotina',
      startsAt: '2026-03-03T10:00',
      patientName: 'Maria Silva',
    });
    const post = () =>
      app.request('POST', new URL(book.api_schema.url).pathname, {
        body: raw,
        headers: { 'content-type': 'application/json', 'x-agendai-secret': TOOL_SECRET },
      });
    const first = await post();
    expect(first.body.result).toBe(
      'Marcação confirmada: Consulta de rotina, terça-feira, 3 de março, às 10:00 com Dr. Rui Lopes.',
    );
    const repeats = await Promise.all(Array.from({ length: 6 }, post));
    for (const r of repeats) expect(r.body).toEqual(first.body);
    const booked = await appointmentsOf(app, e.clinic);
    expect(booked).toHaveLength(1);
    expect(booked[0]).toMatchObject({ source: 'voice_ai', patientName: 'Maria Silva' });
    const [record] = await callsOf(e.clinic.key);
    expect(record).toMatchObject({
      platform: 'elevenlabs',
      externalCallId: 'conv_book',
      fromNumberMasked: maskPhone(CALLER),
      outcome: 'booking_created',
    });
    expect(booked[0]!.callId).toBe(record.id);
    // The caller's number is not kept in the logged tool input.
    const detail = await app.request('GET', `/v1/calls/${record.id}`, { key: e.clinic.key });
    expect(JSON.stringify(detail.body.events)).not.toContain('912345678');
  });

  it("a caller cannot cancel another caller's appointment; a web call (no caller ID) is asked to call from it", async () => {
    const e = await voiceClinic(app, 'elevenlabs', CREDENTIALS);
    await tool(
      e.integration.toolsUrl,
      'book_appointment',
      toolBody(
        'conv_other',
        { service: 'consulta', startsAt: '2026-03-04T10:00', patientName: 'Outro' },
        '+351969999999',
      ),
    );
    const [theirs] = await appointmentsOf(app, e.clinic);
    const steal = await tool(
      e.integration.toolsUrl,
      'cancel_appointment',
      toolBody('conv_me', { appointmentId: theirs!.id }),
    );
    expect(steal.body.result).toBe('Não encontrei marcações futuras para este número.');
    const web = await tool(
      e.integration.toolsUrl,
      'cancel_appointment',
      toolBody('conv_web', { appointmentId: theirs!.id }, null),
    );
    expect(web.body.result).toMatch(/^Por segurança/);
    expect(
      (await app.request('GET', `/v1/appointments/${theirs!.id}`, { key: e.clinic.key })).body.status,
    ).toBe('confirmed');
  });
});

describe('ElevenLabs: post-call webhook', () => {
  const transcription = (conversationId: string, startSecs: number) =>
    JSON.stringify({
      type: 'post_call_transcription',
      event_timestamp: startSecs + 200,
      data: {
        agent_id: 'agent_123',
        conversation_id: conversationId,
        status: 'done',
        transcript: [
          { role: 'agent', message: 'Clínica Sorriso, bom dia.', time_in_call_secs: 0 },
          { role: 'user', message: 'Queria marcar, o meu número é 912 345 678.', time_in_call_secs: 4 },
          {
            role: 'agent',
            message: null,
            tool_calls: [{ tool_name: 'list_services' }],
            time_in_call_secs: 6,
          },
        ],
        metadata: {
          start_time_unix_secs: startSecs,
          call_duration_secs: 71,
          termination_reason: 'end_call tool was called.',
          phone_call: {
            direction: 'inbound',
            phone_number_id: 'pn_1',
            agent_number: '+351210000000',
            external_number: CALLER,
            type: 'twilio',
            call_sid: 'CA123',
          },
        },
        analysis: { call_successful: 'success' },
        conversation_initiation_client_data: {
          dynamic_variables: { system__caller_id: CALLER, system__conversation_id: conversationId },
        },
      },
    });

  it('post_call_transcription closes the call with its duration and transcript (digits masked)', async () => {
    const e = await voiceClinic(app, 'elevenlabs', CREDENTIALS);
    const start = Math.floor(app.now() / 1000) - 300;
    const raw = transcription('conv_end', start);
    expect((await postCall(e.path, raw)).status).toBe(200);
    expect((await postCall(e.path, raw)).status).toBe(200);
    const [record] = await callsOf(e.clinic.key);
    const detail = await app.request('GET', `/v1/calls/${record.id}`, { key: e.clinic.key });
    expect(detail.body.call).toMatchObject({
      externalCallId: 'conv_end',
      status: 'completed',
      durationSeconds: 71,
      fromNumberMasked: maskPhone(CALLER),
      toNumber: '+351210000000',
    });
    const speech = detail.body.events.filter((x: { eventType: string }) => x.eventType === 'speech');
    expect(speech.map((x: { transcript: string }) => x.transcript)).toEqual([
      'Clínica Sorriso, bom dia.',
      'Queria marcar, o meu número é •••••••78.',
    ]);
  });

  it('rejects forged, stale, re-serialised or unsigned webhooks with 401 and records nothing', async () => {
    const e = await voiceClinic(app, 'elevenlabs', CREDENTIALS);
    const now = Math.floor(app.now() / 1000);
    const raw = transcription('conv_bad', now - 100);
    const rejected = [
      await postCall(e.path, raw, sign(raw, now, 'another-secret-0123')),
      await postCall(e.path, raw, sign(`${raw} `, now)),
      // ElevenLabs would still take 30 minutes; the bar here is 5.
      await postCall(e.path, raw, sign(raw, now - 301)),
      await postCall(e.path, raw, sign(raw, now + 301)),
      await postCall(e.path, JSON.stringify(JSON.parse(raw)).replace('{', '{ '), sign(raw, now)),
      await postCall(e.path, raw, ''),
      await postCall(e.path, raw, `t=${now}`),
    ];
    for (const reply of rejected) {
      expect(reply.status).toBe(401);
      expect(reply.body.error).toBe('invalid_signature');
    }
    expect(await callsOf(e.clinic.key)).toHaveLength(0);
    // Without a webhook secret configured, nothing can be verified: nothing is accepted.
    const unsigned = await voiceClinic(app, 'elevenlabs', { toolSecret: TOOL_SECRET });
    expect((await postCall(unsigned.path, raw)).status).toBe(401);
  });

  it('acknowledges other webhook types without a call record', async () => {
    const e = await voiceClinic(app, 'elevenlabs', CREDENTIALS);
    const raw = JSON.stringify({
      type: 'post_call_audio',
      event_timestamp: 1,
      data: { conversation_id: 'c', full_audio: 'AAAA' },
    });
    expect((await postCall(e.path, raw)).status).toBe(200);
    expect(await callsOf(e.clinic.key)).toHaveLength(0);
  });
});
