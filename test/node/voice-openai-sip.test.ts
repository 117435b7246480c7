// OpenAI Realtime over SIP, the whole flow on Node: a signed realtime.call.incoming → the call accepted
// (instructions, tools) → a function call over the sideband WebSocket books through the core and its
// output goes back. OpenAI is a local stand-in (HTTPS + WSS on 127.0.0.1) the SDK reaches by baseURL.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/app.js';
import { maskPhone } from '../../src/domain/phone-mask.js';
import { silentLogger } from '../../src/logger.js';
import { buildNodeDeps } from '../../src/node/server.js';
import type { Egress } from '../../src/security/egress.js';
import { nodeEgress } from '../../src/security/egress-node.js';
import { randomBytes, toBase64Url } from '../../src/security/encoding.js';
import { adminOperations } from '../support/admin.js';
import { buildRequest, DEFAULT_NOW, parseReply, UNLIMITED } from '../support/http.js';
import { startTestApp } from '../support/node-harness.js';
import { type OpenAIStandIn, startOpenAIStandIn } from '../support/openai-stand-in.js';
import type { TestApp } from '../support/types.js';
import { appointmentsOf, voiceClinic } from '../support/voice.js';

let app: TestApp;
let openai: OpenAIStandIn;
beforeAll(async () => {
  openai = await startOpenAIStandIn();
  // The stand-in is on 127.0.0.1: a private target, allowed only by this explicit opt-in.
  app = await startTestApp({ allowPrivateTargets: true });
});
afterAll(async () => {
  await app.close();
  await openai.close();
});

const API_KEY = 'sk-test-openai-0123456789';
const WEBHOOK_SECRET = `whsec_${Buffer.from('openai-webhook-signing-key-0123').toString('base64')}`;
const CALLER = '+351912345678';

const incoming = (callId: string) =>
  JSON.stringify({
    object: 'event',
    id: `evt_${callId}`,
    type: 'realtime.call.incoming',
    created_at: Math.floor(Date.now() / 1000),
    data: {
      call_id: callId,
      sip_headers: [
        { name: 'From', value: `"Maria Silva" <sip:${CALLER}@sip.carrier.example>;tag=9fxced76sl` },
        { name: 'To', value: '<sip:+351210000000@sip.api.openai.com;transport=tls>' },
        { name: 'Call-ID', value: '3848276298220188511@sip.carrier.example' },
      ],
    },
  });

function postSigned(path: string, raw: string, at = new Date()) {
  const id = `wh_${crypto.randomUUID()}`;
  return app.request('POST', path, {
    body: raw,
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(WEBHOOK_SECRET).sign(id, at, raw),
    },
  });
}

const functionCall = (callId: string, args: unknown) => ({
  type: 'response.function_call_arguments.done',
  event_id: `event_${callId}`,
  response_id: 'resp_1',
  item_id: `item_${callId}`,
  output_index: 0,
  call_id: callId,
  name: 'book_appointment',
  arguments: JSON.stringify(args),
});

describe('OpenAI Realtime SIP', () => {
  it('accepts the call with the clinic instructions and tools, then books over the sideband', async () => {
    const o = await voiceClinic(app, 'openai', {
      apiKey: API_KEY,
      webhookSecret: WEBHOOK_SECRET,
      model: 'gpt-realtime',
      voice: 'marin',
      baseURL: openai.baseURL,
    });
    const sidebandOpened = openai.nextSideband();
    const reply = await postSigned(o.path, incoming('rtc_book'));
    expect(reply.status).toBe(200);

    const accept = openai.requests.find((r) => r.path === '/v1/realtime/calls/rtc_book/accept')!;
    expect(accept.method).toBe('POST');
    expect(accept.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(accept.body).toMatchObject({
      type: 'realtime',
      model: 'gpt-realtime',
      audio: { output: { voice: 'marin' } },
      parallel_tool_calls: false,
    });
    expect(accept.body.instructions).toContain('You answer the phone for Clínica Sorriso');
    expect(accept.body.instructions).toContain('Speak European Portuguese (pt-PT)');
    expect(accept.body.instructions).toContain('Today is Monday 2 March 2026 in Europe/Lisbon');
    expect(accept.body.tools.map((t: { type: string; name: string }) => `${t.type}:${t.name}`)).toEqual([
      'function:list_services',
      'function:check_availability',
      'function:book_appointment',
      'function:find_appointments',
      'function:cancel_appointment',
      'function:reschedule_appointment',
      'function:clinic_info',
      'function:take_message',
      'function:transfer_to_human',
      'function:report_symptoms',
    ]);
    expect(accept.body.tools[2].parameters.required).toContain('startsAt');

    const sideband = await sidebandOpened;
    expect(sideband.path).toBe('/v1/realtime?call_id=rtc_book');
    expect(sideband.headers.authorization).toBe(`Bearer ${API_KEY}`);

    const args = { service: 'Consulta de rotina', startsAt: '2026-03-03T10:00', patientName: 'Maria Silva' };
    sideband.send(functionCall('call_fn_1', args));
    const output = await sideband.next();
    expect(output).toEqual({
      type: 'conversation.item.create',
      item: {
        type: 'function_call_output',
        call_id: 'call_fn_1',
        output:
          'Marcação confirmada: Consulta de rotina, terça-feira, 3 de março, às 10:00 com Dr. Rui Lopes.',
      },
    });
    expect(await sideband.next()).toEqual({ type: 'response.create' });

    // The same function call again (a replayed event): the same answer, still one booking.
    sideband.send(functionCall('call_fn_1', args));
    expect((await sideband.next()).item.output).toBe(output.item.output);
    expect(await sideband.next()).toEqual({ type: 'response.create' });

    const booked = await appointmentsOf(app, o.clinic);
    expect(booked).toHaveLength(1);
    expect(booked[0]).toMatchObject({
      source: 'voice_ai',
      patientName: 'Maria Silva',
      professionalId: o.rui.id,
    });
    const calls = (await app.request('GET', '/v1/calls', { key: o.clinic.key })).body.items;
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      platform: 'openai',
      externalCallId: 'rtc_book',
      fromNumberMasked: maskPhone(CALLER),
      toNumber: '+351210000000',
      status: 'in_progress',
      outcome: 'booking_created',
    });
    expect(booked[0]!.callId).toBe(calls[0].id);

    // OpenAI closes the sideband when the caller hangs up: the call is over.
    sideband.socket.close();
    await vi.waitFor(async () => {
      const detail = await app.request('GET', `/v1/calls/${calls[0].id}`, { key: o.clinic.key });
      expect(detail.body.call.status).toBe('completed');
    });
  });

  it("a suspended clinic's call is accepted with the spoken refusal and no tools (issue 11, #4)", async () => {
    const o = await voiceClinic(app, 'openai', {
      apiKey: API_KEY,
      webhookSecret: WEBHOOK_SECRET,
      baseURL: openai.baseURL,
    });
    await app.setTenantStatus(o.clinic.tenantId, 'canceled');
    const sidebandOpened = openai.nextSideband();
    const reply = await postSigned(o.path, incoming('rtc_suspended'));
    expect(reply.status).toBe(200);
    const accept = openai.requests.find((r) => r.path === '/v1/realtime/calls/rtc_suspended/accept')!;
    expect(accept.body.tools).toBeUndefined();
    expect(accept.body.instructions).toContain('Speak European Portuguese (pt-PT)');
    expect(accept.body.instructions).toContain(
      'De momento não consigo tratar de marcações por telefone para esta clínica.',
    );
    // A function call the model makes anyway is refused with the same sentence; nothing is booked.
    const sideband = await sidebandOpened;
    sideband.send(
      functionCall('call_fn_s', {
        service: 'Consulta de rotina',
        startsAt: '2026-03-03T10:00',
        patientName: 'Maria Silva',
      }),
    );
    expect((await sideband.next()).item.output).toMatch(/^De momento não consigo/);
    expect(await sideband.next()).toEqual({ type: 'response.create' });
    sideband.socket.close();
    await app.setTenantStatus(o.clinic.tenantId, 'active');
    expect(await appointmentsOf(app, o.clinic)).toEqual([]);
  });

  it('a forged or stale incoming call is answered 401 and never accepted', async () => {
    const o = await voiceClinic(app, 'openai', {
      apiKey: API_KEY,
      webhookSecret: WEBHOOK_SECRET,
      baseURL: openai.baseURL,
    });
    const raw = incoming('rtc_stale');
    expect((await postSigned(o.path, raw, new Date(Date.now() - 301_000))).status).toBe(401);
    const forged = raw.replace(CALLER, '+351969999999');
    const id = 'wh_forged';
    const at = new Date();
    const reply = await app.request('POST', o.path, {
      body: forged,
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': new Webhook(WEBHOOK_SECRET).sign(id, at, raw),
      },
    });
    expect(reply.status).toBe(401);
    expect(openai.requests.filter((r) => r.path.includes('rtc_stale'))).toHaveLength(0);
    expect((await app.request('GET', '/v1/calls', { key: o.clinic.key })).body.items).toHaveLength(0);
  });
});

/**
 * The app as the Worker builds it in this respect: no sideband (requests go to app.fetch in-process).
 * Private targets are allowed (the stand-in is local); `strict` is the same service without the opt-in.
 */
async function startWithoutSideband() {
  const dir = mkdtempSync(join(tmpdir(), 'agendai-nosideband-'));
  const deps = await buildNodeDeps({
    databasePath: join(dir, 'test.db'),
    secrets: {
      PHONE_HASH_KEY: { version: 1, secret: toBase64Url(randomBytes(32)) },
      PHONE_ENCRYPTION_KEY: { version: 1, secret: toBase64Url(randomBytes(32)) },
    },
    logger: silentLogger,
    clock: { now: () => DEFAULT_NOW },
    rateLimits: UNLIMITED,
    allowPrivateTargets: true,
  });
  const harnessOf = (egress: Egress) => {
    const app = createApp({ ...deps, egress, realtimeSideband: undefined, clientAddress: () => '127.0.0.1' });
    return {
      ...adminOperations(deps.store.db, () => DEFAULT_NOW),
      now: () => DEFAULT_NOW,
      request: async (method: string, path: string, options = {}) => {
        const { url, init } = buildRequest('http://agendai.test', method, path, options);
        return parseReply(await app.fetch(new Request(url, init)));
      },
      fetch: async (url: string | URL, init?: RequestInit) => app.fetch(new Request(url, init)),
    } as unknown as TestApp;
  };
  return {
    harness: harnessOf(deps.egress),
    strict: harnessOf(nodeEgress(false)),
    close() {
      deps.store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('OpenAI Realtime SIP without a sideband (the Worker)', () => {
  it("accepts the call with the integration's MCP server as its tools, bound to the call and its caller", async () => {
    const { harness, close } = await startWithoutSideband();
    try {
      const o = await voiceClinic(harness, 'openai', {
        apiKey: API_KEY,
        webhookSecret: WEBHOOK_SECRET,
        baseURL: openai.baseURL,
      });
      const raw = incoming('rtc_worker');
      const id = 'wh_worker';
      const at = new Date();
      const reply = await harness.request('POST', o.path, {
        body: raw,
        headers: {
          'content-type': 'application/json',
          'webhook-id': id,
          'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
          'webhook-signature': new Webhook(WEBHOOK_SECRET).sign(id, at, raw),
        },
      });
      expect(reply.status).toBe(200);
      const accept = openai.requests.find((r) => r.path === '/v1/realtime/calls/rtc_worker/accept')!;
      expect(accept.body.instructions).toContain('Use the tools');
      expect(accept.body.tool_choice).toBe('auto');
      expect(accept.body.tools).toHaveLength(1);
      const [mcp] = accept.body.tools;
      expect(mcp).toMatchObject({ type: 'mcp', server_url: o.integration.mcpUrl, require_approval: 'never' });
      expect(mcp.headers.Authorization).toMatch(/^Bearer mcpcall\./);
      // Neither the clinic's API key nor its webhook secret is handed to the model's MCP requests.
      expect(JSON.stringify(mcp)).not.toContain(API_KEY);
      expect(JSON.stringify(mcp)).not.toContain(WEBHOOK_SECRET);

      // What OpenAI then does with it: MCP requests with those headers. The caller is the SIP caller.
      const client = new Client({ name: 'openai-realtime-stand-in', version: '1.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(mcp.server_url), {
          fetch: (input, init) => harness.fetch(input, init),
          requestInit: { headers: mcp.headers },
        }),
      );
      const booked = await client.callTool({
        name: 'book_appointment',
        arguments: {
          service: 'Consulta de rotina',
          startsAt: '2026-03-03T10:00',
          patientName: 'Maria Silva',
        },
      });
      expect((booked.content as { text: string }[])[0]!.text).toMatch(/^Marcação confirmada/);
      const found = await client.callTool({ name: 'find_appointments', arguments: {} });
      expect((found.content as { text: string }[])[0]!.text).toContain('10:00');
      await client.close();
      const calls = (await harness.request('GET', '/v1/calls', { key: o.clinic.key })).body.items;
      expect(calls).toMatchObject([
        { externalCallId: 'rtc_worker', fromNumberMasked: maskPhone(CALLER), outcome: 'booking_created' },
      ]);
      const [appointment] = await appointmentsOf(harness, o.clinic);
      expect(appointment!.callId).toBe(calls[0].id);
    } finally {
      close();
    }
  });
});

describe('OpenAI baseURL egress (issue 10, finding 2)', () => {
  it('does not connect to a private baseURL stored before the rule: the API key never leaves', async () => {
    const { harness, strict, close } = await startWithoutSideband();
    try {
      // Configured where private targets were allowed; the service now runs without the opt-in.
      const o = await voiceClinic(harness, 'openai', {
        apiKey: API_KEY,
        webhookSecret: WEBHOOK_SECRET,
        baseURL: openai.baseURL,
      });
      const raw = incoming('rtc_private');
      const at = new Date();
      const reply = await strict.request('POST', o.path, {
        body: raw,
        headers: {
          'content-type': 'application/json',
          'webhook-id': 'wh_private',
          'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
          'webhook-signature': new Webhook(WEBHOOK_SECRET).sign('wh_private', at, raw),
        },
      });
      expect(reply.status).toBeGreaterThanOrEqual(500);
      expect(openai.requests.filter((r) => r.path.includes('rtc_private'))).toEqual([]);
    } finally {
      close();
    }
  });
});
