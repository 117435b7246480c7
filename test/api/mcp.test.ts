// The MCP door (src/mcp), driven by the official MCP client SDK over Streamable HTTP on both runtimes:
// initialize → tools/list → tools/call, as a voice platform's MCP client does it.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { CfWorkerJsonSchemaValidator } from '@modelcontextprotocol/client/validators/cf-worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import { maskPhone } from '../../src/domain/phone-mask.js';
import { mintCallToken } from '../../src/voice/mcp-link.js';
import { TOOLS } from '../../src/voice/tools.js';
import type { TestApp } from '../support/types.js';
import { appointmentsOf, voiceClinic } from '../support/voice.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const SECRET = 'vapi-shared-secret-0123456789-0123456789';
const CALLER = '+351912345678';
const BOOK = { service: 'Consulta de rotina', startsAt: '2026-03-03T10:00', patientName: 'Maria Silva' };
const BOOKED =
  'Marcação confirmada: Consulta de rotina, terça-feira, 3 de março, às 10:00 com Dr. Rui Lopes.';

type Headers = Record<string, string>;

/** A connected MCP client (initialize done), as a platform opens one per tool call. */
async function connect(url: string, headers: Headers, modern = false) {
  const client = new Client(
    { name: 'agendai-test-agent', version: '1.0.0' },
    modern ? { versionNegotiation: { mode: 'auto' } } : {},
  );
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    fetch: (input, init) => app.fetch(input, init),
    requestInit: { headers },
  });
  await client.connect(transport);
  return client;
}

/** One tool call over a fresh MCP connection; its text answer. */
async function call(
  url: string,
  headers: Headers,
  name: string,
  args: Record<string, unknown> = {},
  _meta?: Record<string, unknown>,
) {
  const client = await connect(url, headers);
  try {
    const result = await client.callTool({ name, arguments: args, ...(_meta ? { _meta } : {}) });
    const [content] = result.content as { type: string; text: string }[];
    expect(content!.type).toBe('text');
    return { text: content!.text, isError: result.isError ?? false };
  } finally {
    await client.close();
  }
}

/** A Vapi call as the platform reports it to the integration's webhook (the caller's number with it). */
async function reportVapiCall(path: string, callId: string, caller: string) {
  const reply = await app.request('POST', path, {
    headers: { 'x-vapi-secret': SECRET },
    body: {
      message: {
        type: 'status-update',
        status: 'in-progress',
        call: { id: callId, customer: { number: caller } },
        phoneNumber: { number: '+351210000000' },
      },
    },
  });
  expect(reply.status).toBe(200);
}

const vapiClinic = () => voiceClinic(app, 'vapi', { secret: SECRET });
const bearer = { authorization: `Bearer ${SECRET}` };

describe('MCP: the endpoint and its catalogue', () => {
  it("is the integration's mcpUrl; tools/list serves the whole catalogue with schemas MCP clients accept", async () => {
    const v = await vapiClinic();
    expect(v.integration.mcpUrl).toMatch(new RegExp(`/v1/voice/mcp/${v.integration.id}$`));
    const client = await connect(v.integration.mcpUrl, bearer);
    // The SDK client parsed the answer against the protocol's own schemas.
    const { tools } = await client.listTools();
    await client.close();
    expect(tools.map((t) => t.name)).toEqual(Object.keys(TOOLS));
    const validator = new CfWorkerJsonSchemaValidator();
    for (const tool of tools) {
      const catalogue = TOOLS[tool.name as keyof typeof TOOLS];
      expect(tool.description).toBe(catalogue.description);
      expect(tool.inputSchema.type).toBe('object');
      // One type per property, never nullable: what Vapi, ElevenLabs and Realtime take.
      for (const [key, property] of Object.entries(tool.inputSchema.properties ?? {})) {
        const p = property as Record<string, unknown>;
        expect(typeof p.type, `${tool.name}.${key}`).toBe('string');
        expect(p.type, `${tool.name}.${key}`).not.toBe('null');
        expect(p.anyOf ?? p.oneOf, `${tool.name}.${key}`).toBeUndefined();
        expect(typeof p.description, `${tool.name}.${key}`).toBe('string');
      }
      // Optional in MCP exactly where the catalogue can do without a value (null or left out).
      const shape = catalogue.parameters.shape as Record<
        string,
        { safeParse(v: unknown): { success: boolean } }
      >;
      const required = Object.keys(shape).filter(
        (k) => !shape[k]!.safeParse(null).success && !shape[k]!.safeParse(undefined).success,
      );
      expect([...(tool.inputSchema.required ?? [])].sort(), tool.name).toEqual(required.sort());
      // The client's Workers-safe validator compiles each schema; an empty call passes only without
      // required fields.
      const check = validator.getValidator(tool.inputSchema as never);
      expect(check({}).valid, tool.name).toBe(required.length === 0);
    }
  });

  it('speaks the 2026 protocol too (server/discover), statelessly', async () => {
    const v = await vapiClinic();
    const client = await connect(v.integration.mcpUrl, bearer, true);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(Object.keys(TOOLS));
    const result = await client.callTool({ name: 'list_services', arguments: {} });
    expect((result.content as { text: string }[])[0]!.text).toBe(
      'Temos: Consulta de rotina (30 min, 45 €) ou Higiene oral (60 min).',
    );
    await client.close();
  });
});

describe('MCP: book, find, cancel', () => {
  it('books, finds and cancels for a Vapi caller: X-Call-Id joined with the call Vapi reported; visible in /v1/calls', async () => {
    const v = await vapiClinic();
    await reportVapiCall(v.path, 'vapi-call-1', CALLER);
    const headers = { ...bearer, 'x-call-id': 'vapi-call-1' };
    const url = v.integration.mcpUrl;

    const availability = await call(url, headers, 'check_availability', {
      service: 'consulta',
      date: '2026-03-03',
    });
    expect(availability.text).toBe(
      'Há vagas terça-feira, 3 de março às 09:00, 09:30 ou 10:00 com Dr. Rui Lopes.',
    );
    expect(await call(url, headers, 'book_appointment', BOOK)).toEqual({ text: BOOKED, isError: false });
    const [booked] = await appointmentsOf(app, v.clinic);
    expect(booked).toMatchObject({ source: 'voice_ai', status: 'confirmed', professionalId: v.rui.id });

    const found = await call(url, headers, 'find_appointments');
    expect(found.text).toContain('Consulta de rotina');
    expect(found.text).toContain('10:00');

    const cancelled = await call(url, headers, 'cancel_appointment', { startsAt: '2026-03-03T10:00' });
    expect(cancelled.isError).toBe(false);
    expect((await appointmentsOf(app, v.clinic))[0]!.status).toBe('cancelled');

    // The call Vapi reported holds the MCP tool calls: one call, its caller, its booking.
    const calls = await app.request('GET', '/v1/calls', { key: v.clinic.key });
    expect(calls.body.items).toHaveLength(1);
    const [record] = calls.body.items;
    expect(record).toMatchObject({
      platform: 'vapi',
      externalCallId: 'vapi-call-1',
      fromNumberMasked: maskPhone(CALLER),
      outcome: 'booking_created',
    });
    expect(booked!.callId).toBe(record.id);
    const detail = await app.request('GET', `/v1/calls/${record.id}`, { key: v.clinic.key });
    expect(detail.body.events.map((e: { toolName: string }) => e.toolName)).toEqual([
      'check_availability',
      'book_appointment',
      'find_appointments',
      'cancel_appointment',
    ]);
  });

  it('takes the call and caller from ElevenLabs-style headers, or from _meta', async () => {
    const v = await voiceClinic(app, 'elevenlabs', { toolSecret: SECRET });
    const url = v.integration.mcpUrl;
    const headers = {
      'x-agendai-secret': SECRET,
      'x-agendai-call-id': 'conv_1',
      'x-agendai-caller': CALLER,
    };
    expect((await call(url, headers, 'book_appointment', BOOK)).text).toBe(BOOKED);
    expect((await call(url, headers, 'find_appointments')).text).toContain('10:00');

    // The same caller named in _meta instead of headers finds the same booking.
    const found = await call(
      url,
      { 'x-agendai-secret': SECRET },
      'find_appointments',
      {},
      {
        'agendai/callId': 'conv_2',
        'agendai/caller': CALLER,
      },
    );
    expect(found.text).toContain('10:00');
    const calls = (await app.request('GET', '/v1/calls', { key: v.clinic.key })).body.items;
    expect(calls.map((c: { externalCallId: string }) => c.externalCallId).sort()).toEqual([
      'conv_1',
      'conv_2',
    ]);
    for (const c of calls)
      expect(c).toMatchObject({ platform: 'elevenlabs', fromNumberMasked: maskPhone(CALLER) });
  });

  it('a caller with no call named gets one call per day whose id does not give the number away', async () => {
    const v = await voiceClinic(app, 'elevenlabs', { toolSecret: SECRET });
    const headers = { 'x-agendai-secret': SECRET, 'x-agendai-caller': CALLER };
    await call(v.integration.mcpUrl, headers, 'find_appointments');
    await call(v.integration.mcpUrl, headers, 'list_services');
    const listed = await app.request('GET', '/v1/calls', { key: v.clinic.key });
    expect(listed.body.items).toHaveLength(1);
    const [only] = listed.body.items as { externalCallId: string }[];
    expect(only!.externalCallId).toMatch(/^mcp:\d{4}-\d{2}-\d{2}:[0-9a-f]{16}$/);
    // A plain digest of the number would let anyone holding the id try every number until one fits.
    const plain = async (text: string) =>
      [...new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)))]
        .map((b) => b.toString(16).padStart(2, '0'))
        .join('')
        .slice(0, 16);
    expect(only!.externalCallId.endsWith(await plain(CALLER))).toBe(false);
    expect(only!.externalCallId.endsWith(await plain(CALLER.replace(/[^\d+]/g, '')))).toBe(false);
  });

  it('without a caller, the tools ask for the number exactly as the webhook tools do', async () => {
    const v = await vapiClinic();
    const webhook = async (name: string, args: unknown) =>
      (
        await app.request('POST', v.path, {
          headers: { 'x-vapi-secret': SECRET },
          body: {
            message: {
              type: 'tool-calls',
              call: { id: 'web-call', type: 'webCall' },
              toolCallList: [{ id: `t-${name}`, type: 'function', function: { name, arguments: args } }],
            },
          },
        })
      ).body.results[0].result as string;

    const find = await call(v.integration.mcpUrl, bearer, 'find_appointments');
    expect(find.text).toBe(await webhook('find_appointments', {}));
    expect(find.text).toMatch(/^Por segurança só posso consultar marcações do número de onde liga/);
    const book = await call(v.integration.mcpUrl, bearer, 'book_appointment', BOOK);
    expect(book.text).toBe(await webhook('book_appointment', BOOK));
    expect(book.text).toBe('Preciso de um número de telemóvel para a marcação. Qual é o seu número?');
    expect(await appointmentsOf(app, v.clinic)).toEqual([]);
  });
});

describe('MCP: a retried tool call books once', () => {
  it('sequential and parallel retries of one tool call replay its first answer; one appointment', async () => {
    const v = await vapiClinic();
    await reportVapiCall(v.path, 'vapi-retry', CALLER);
    const headers = { ...bearer, 'x-call-id': 'vapi-retry' };
    // Parallel first: the retries race the first attempt. Without a key, "any professional" would
    // book Dr. Rui and then Dra. Ana at the same time.
    // Each retry on a connection of its own (Vapi opens one per tool call), all sent at once.
    const clients = await Promise.all(
      Array.from({ length: 6 }, () => connect(v.integration.mcpUrl, headers)),
    );
    const answers = await Promise.all(
      clients.map((c) => c.callTool({ name: 'book_appointment', arguments: BOOK })),
    );
    await Promise.all(clients.map((c) => c.close()));
    for (const a of answers) expect(a).toMatchObject({ content: [{ type: 'text', text: BOOKED }] });
    expect(await call(v.integration.mcpUrl, headers, 'book_appointment', BOOK)).toEqual({
      text: BOOKED,
      isError: false,
    });
    const booked = await appointmentsOf(app, v.clinic);
    expect(booked).toHaveLength(1);
    expect(booked[0]!.status).toBe('confirmed');
  });

  it('a tool-call id the client sends in _meta keys the call: a reused id replays, even with a client that retries in parallel', async () => {
    const v = await vapiClinic();
    await reportVapiCall(v.path, 'vapi-meta-id', CALLER);
    const headers = { ...bearer, 'x-call-id': 'vapi-meta-id' };
    const meta = { 'agendai/toolCallId': 'tc-1' };
    const clients = await Promise.all(
      Array.from({ length: 4 }, () => connect(v.integration.mcpUrl, headers)),
    );
    const answers = await Promise.all(
      clients.map((c) => c.callTool({ name: 'book_appointment', arguments: BOOK, _meta: meta })),
    );
    await Promise.all(clients.map((c) => c.close()));
    for (const a of answers) expect(a).toMatchObject({ content: [{ type: 'text', text: BOOKED }] });
    // The same id with other arguments is another request under a used key: refused, nothing booked.
    const reused = await call(
      v.integration.mcpUrl,
      headers,
      'book_appointment',
      { ...BOOK, startsAt: '2026-03-03T11:00' },
      meta,
    );
    expect(reused.isError).toBe(true);
    expect(await appointmentsOf(app, v.clinic)).toHaveLength(1);
  });
});

describe('MCP: authentication', () => {
  it('refuses a wrong or absent secret with 401 and records nothing', async () => {
    const v = await vapiClinic();
    await expect(connect(v.integration.mcpUrl, {})).rejects.toThrow();
    await expect(connect(v.integration.mcpUrl, { authorization: `Bearer ${SECRET}x` })).rejects.toThrow();

    // The raw exchange a platform would make: a tools/call that would book, with bad credentials.
    const toolsCall = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'book_appointment', arguments: BOOK },
    });
    for (const headers of [
      {},
      { authorization: 'Bearer wrong' },
      { 'x-agendai-secret': `${SECRET}0` },
      { 'x-vapi-secret': SECRET.slice(1) },
      { authorization: `Basic ${btoa(`x:${SECRET}`)}` },
    ] as Headers[]) {
      const reply = await app.fetch(v.integration.mcpUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-protocol-version': '2025-06-18',
          'x-call-id': 'vapi-refused',
          'x-agendai-caller': CALLER,
          ...headers,
        },
        body: toolsCall,
      });
      expect(reply.status, JSON.stringify(headers)).toBe(401);
      expect((await reply.json()).error).toBe('invalid_signature');
    }
    // Another integration's secret (of another clinic) opens only that integration.
    const otherSecret = 'another-clinics-secret-0123456789-0123456789';
    await voiceClinic(app, 'vapi', { secret: otherSecret });
    await expect(connect(v.integration.mcpUrl, { authorization: `Bearer ${otherSecret}` })).rejects.toThrow();
    expect((await app.request('GET', '/v1/calls', { key: v.clinic.key })).body.items).toEqual([]);
    expect(await appointmentsOf(app, v.clinic)).toEqual([]);

    // Every header form of the right secret is accepted.
    for (const headers of [
      bearer,
      { 'x-agendai-secret': SECRET },
      { 'x-vapi-secret': SECRET },
    ] as Headers[]) {
      const client = await connect(v.integration.mcpUrl, headers);
      expect((await client.listTools()).tools.length).toBeGreaterThan(0);
      await client.close();
    }
  });

  it("takes a Vapi secret from the header the clinic's credential names, with or without Bearer", async () => {
    const v = await voiceClinic(app, 'vapi', { secret: SECRET, headerName: 'X-Clinic-Token' });
    for (const value of [SECRET, `Bearer ${SECRET}`]) {
      const client = await connect(v.integration.mcpUrl, { 'x-clinic-token': value });
      expect((await client.listTools()).tools.length).toBeGreaterThan(0);
      await client.close();
    }
    await expect(connect(v.integration.mcpUrl, { 'x-clinic-token': `${SECRET}x` })).rejects.toThrow();
    // Another platform's integration does not read a header it never configured.
    const eleven = await voiceClinic(app, 'elevenlabs', { toolSecret: SECRET });
    await expect(connect(eleven.integration.mcpUrl, { 'x-clinic-token': SECRET })).rejects.toThrow();
  });

  it('answers GET and DELETE with 405 (stateless: no stream, no session), after the secret', async () => {
    const v = await vapiClinic();
    for (const method of ['GET', 'DELETE']) {
      expect((await app.fetch(v.integration.mcpUrl, { method })).status).toBe(401);
      const reply = await app.fetch(v.integration.mcpUrl, {
        method,
        headers: { ...bearer, accept: 'text/event-stream', 'mcp-protocol-version': '2025-06-18' },
      });
      expect(reply.status, method).toBe(405);
    }
  });

  it('answers malformed requests with an error, never a 500; an unknown tool is a protocol error, bad arguments a tool error', async () => {
    const v = await vapiClinic();
    const post = (body: string) =>
      app.fetch(v.integration.mcpUrl, {
        method: 'POST',
        headers: {
          ...bearer,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-protocol-version': '2025-06-18',
        },
        body,
      });
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    for (const body of ['{', '[]', '"x"', deep]) {
      const reply = await post(body);
      expect(reply.status, body.slice(0, 20)).toBeGreaterThanOrEqual(400);
      expect(reply.status, body.slice(0, 20)).toBeLessThan(500);
    }
    // An unknown method is a JSON-RPC error inside the exchange.
    const unknown = await post(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'nope' }));
    expect(unknown.status).toBeLessThan(500);
    expect(await unknown.text()).toContain('-32601');
    const client = await connect(v.integration.mcpUrl, bearer);
    await expect(client.callTool({ name: 'valueOf', arguments: {} })).rejects.toThrow(/Unknown tool/);
    const odd = await client.callTool({
      name: 'book_appointment',
      arguments: { service: ['x'], deep: JSON.parse(`${'['.repeat(100)}${']'.repeat(100)}`) },
    });
    expect(odd.isError).toBe(true);
    expect((odd.content as { text: string }[])[0]!.text).toMatch(/^Invalid arguments/);
    await client.close();
    expect(await appointmentsOf(app, v.clinic)).toEqual([]);
  });

  it('404 for an unknown or disconnected integration', async () => {
    const v = await vapiClinic();
    const url = v.integration.mcpUrl;
    expect(
      (await app.fetch(url.replace(v.integration.id, 'nope'), { method: 'POST', headers: bearer })).status,
    ).toBe(404);
    await app.request('DELETE', `/v1/voice/integrations/${v.integration.id}`, { key: v.clinic.key });
    expect((await app.fetch(url, { method: 'POST', headers: bearer })).status).toBe(404);
  });

  it('throttles failed attempts per integration, like the webhook door', async () => {
    const limited = await startTestApp({ rateLimits: { authFailuresPerMinute: 2 } });
    try {
      const v = await voiceClinic(limited, 'vapi', { secret: SECRET });
      const post = (headers: Headers) =>
        limited.fetch(v.integration.mcpUrl, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
            ...headers,
          },
          body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
        });
      expect((await post({ authorization: 'Bearer wrong-1' })).status).toBe(401);
      expect((await post({ authorization: 'Bearer wrong-2' })).status).toBe(401);
      const throttled = await post(bearer);
      expect(throttled.status).toBe(429);
      expect(throttled.headers.get('retry-after')).toMatch(/^\d+$/);
    } finally {
      await limited.close();
    }
  });

  it('a per-call token (OpenAI SIP accepted by the service) names its call alone; a forged one is refused', async () => {
    const webhookSecret = `whsec_${btoa('openai-webhook-signing-key-0123')}`;
    const o = await voiceClinic(app, 'openai', { apiKey: 'sk-test-openai-0123456789', webhookSecret });
    const token = await mintCallToken(webhookSecret, o.integration.id, 'rtc_token', app.now());
    // Headers cannot move a token to another call or caller: no caller was recorded for rtc_token.
    const headers = { authorization: `Bearer ${token}`, 'x-agendai-caller': CALLER, 'x-call-id': 'other' };
    const found = await call(o.integration.mcpUrl, headers, 'find_appointments');
    expect(found.text).toMatch(/^Por segurança/);
    const calls = (await app.request('GET', '/v1/calls', { key: o.clinic.key })).body.items;
    expect(calls).toMatchObject([
      { platform: 'openai', externalCallId: 'rtc_token', fromNumberMasked: null },
    ]);

    const other = await voiceClinic(app, 'openai', { apiKey: 'sk-test-openai-0123456789', webhookSecret });
    for (const forged of [
      token.slice(0, -2),
      await mintCallToken('whsec_another', o.integration.id, 'rtc_token', app.now()),
      // A token of one integration does not open another's endpoint.
      await mintCallToken(webhookSecret, other.integration.id, 'rtc_token', app.now()),
      // Expired.
      await mintCallToken(webhookSecret, o.integration.id, 'rtc_token', app.now() - 7 * 3600_000),
    ]) {
      await expect(
        connect(o.integration.mcpUrl, { authorization: `Bearer ${forged}` }),
        forged,
      ).rejects.toThrow();
    }
  });
});
