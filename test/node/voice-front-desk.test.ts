// The front desk where it reaches another system, on Node with local stand-ins on 127.0.0.1:
// - OpenAI Realtime SIP: transfer_to_human over the sideband sends a SIP REFER (realtime.calls.refer)
//   in hours, and nothing out of hours or without a number;
// - Vapi: transfer_to_human sends the `transfer` control message to the call's monitor.controlUrl;
// - take_message: the callback_request.created event reaches the PMS's endpoint, signed.
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_NOW } from '../support/http.js';
import { startTestApp } from '../support/node-harness.js';
import { type OpenAIStandIn, startOpenAIStandIn } from '../support/openai-stand-in.js';
import type { TestApp } from '../support/types.js';
import { voiceClinic } from '../support/voice.js';

interface Received {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: any;
  raw: string;
}

let app: TestApp;
let openai: OpenAIStandIn;
let receiver: Server;
let base: string;
const received: Received[] = [];
/** Per path, the status the receiver answers (default 200). */
const statusFor = new Map<string, number>();

beforeAll(async () => {
  openai = await startOpenAIStandIn();
  // The stand-ins are on 127.0.0.1: private targets, allowed only by this explicit opt-in.
  app = await startTestApp({ allowPrivateTargets: true });
  receiver = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => {
      raw += chunk;
    });
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(raw), raw });
      res.writeHead(statusFor.get(req.url ?? '') ?? 200).end();
    });
  });
  await new Promise<void>((ready) => receiver.listen(0, '127.0.0.1', ready));
  const address = receiver.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(async () => {
  await new Promise((done) => receiver.close(done));
  await app.close();
  await openai.close();
});

const CALLER = '+351912345678';
const RECEPTION = '+351210000999';
const EVENING = Date.parse('2026-03-02T19:30:00Z');

async function configure(key: string, config: Record<string, unknown>) {
  const reply = await app.request('PATCH', '/v1/tenants/me', {
    key,
    body: { config: { language: 'pt-PT', ...config } },
  });
  expect(reply.status).toBe(200);
}

describe('OpenAI Realtime SIP: transfer_to_human', () => {
  const API_KEY = 'sk-test-openai-0123456789';
  const WEBHOOK_SECRET = `whsec_${Buffer.from('openai-webhook-signing-key-0123').toString('base64')}`;

  /** A signed realtime.call.incoming (the SDK checks it against the wall clock), then its sideband. */
  async function incomingCall(path: string, callId: string) {
    const raw = JSON.stringify({
      object: 'event',
      id: `evt_${callId}`,
      type: 'realtime.call.incoming',
      created_at: Math.floor(Date.now() / 1000),
      data: {
        call_id: callId,
        sip_headers: [
          { name: 'From', value: `<sip:${CALLER}@sip.carrier.example>;tag=1` },
          { name: 'To', value: '<sip:+351210000000@sip.api.openai.com;transport=tls>' },
        ],
      },
    });
    const at = new Date();
    const id = `wh_${crypto.randomUUID()}`;
    const opened = openai.nextSideband();
    const reply = await app.request('POST', path, {
      body: raw,
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': new Webhook(WEBHOOK_SECRET).sign(id, at, raw),
      },
    });
    expect(reply.status).toBe(200);
    return opened;
  }

  async function transferOver(path: string, callId: string) {
    const sideband = await incomingCall(path, callId);
    sideband.send({
      type: 'response.function_call_arguments.done',
      event_id: `event_${callId}`,
      response_id: 'resp_1',
      item_id: `item_${callId}`,
      output_index: 0,
      call_id: `fn_${callId}`,
      name: 'transfer_to_human',
      arguments: JSON.stringify({ reason: null }),
    });
    const output = await sideband.next();
    expect(await sideband.next()).toEqual({ type: 'response.create' });
    return output.item.output as string;
  }

  const refers = (callId: string) =>
    openai.requests.filter((r) => r.path === `/v1/realtime/calls/${callId}/refer`);

  async function clinic(config: Record<string, unknown>) {
    app.setNow(DEFAULT_NOW); // Monday 09:00 in Lisbon: open
    const o = await voiceClinic(app, 'openai', {
      apiKey: API_KEY,
      webhookSecret: WEBHOOK_SECRET,
      model: 'gpt-realtime',
      baseURL: openai.baseURL,
    });
    await configure(o.clinic.key, config);
    return o;
  }

  it('in hours: refers the SIP call to the reception (tel: URI), and the call records the transfer', async () => {
    const o = await clinic({ fallbackHumanNumber: RECEPTION });
    expect(await transferOver(o.path, 'rtc_in')).toBe(
      'Vou passar a chamada para a receção. Um momento, por favor.',
    );
    const [refer] = refers('rtc_in');
    expect(refer).toMatchObject({ method: 'POST', body: { target_uri: `tel:${RECEPTION}` } });
    expect(refer!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    const calls = (await app.request('GET', '/v1/calls', { key: o.clinic.key })).body.items;
    expect(calls[0].outcome).toBe('transferred_to_human');
  });

  it('out of hours: no REFER; says when the clinic opens', async () => {
    const o = await clinic({ fallbackHumanNumber: RECEPTION });
    app.setNow(EVENING);
    expect(await transferOver(o.path, 'rtc_late')).toBe(
      'A receção está fechada. Abre amanhã às 09:00. Posso deixar uma mensagem para lhe ligarem de volta?',
    );
    expect(refers('rtc_late')).toEqual([]);
  });

  it('no number configured: no REFER; says so', async () => {
    const o = await clinic({ fallbackHumanNumber: null });
    expect(await transferOver(o.path, 'rtc_none')).toMatch(/^Não consigo passar a chamada/);
    expect(refers('rtc_none')).toEqual([]);
  });
});

describe('Vapi: transfer_to_human over live call control', () => {
  const SECRET = 'vapi-shared-secret-0123456789-0123456789';
  const toolCall = (callId: string, controlUrl: string) => ({
    message: {
      type: 'tool-calls',
      call: {
        id: callId,
        type: 'inboundPhoneCall',
        customer: { number: CALLER },
        monitor: {
          listenUrl: 'wss://phone-call-websocket.aws-us-west-2-backend-production1.vapi.ai/x/listen',
          controlUrl,
        },
      },
      phoneNumber: { number: '+351210000000' },
      toolCallList: [
        { id: `${callId}-t`, type: 'function', function: { name: 'transfer_to_human', arguments: {} } },
      ],
    },
  });
  const send = async (path: string, body: unknown) =>
    (
      await app.request('POST', path, {
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json', 'x-vapi-secret': SECRET },
      })
    ).body.results[0].result as string;

  it('in hours: posts the transfer control message; out of hours: posts nothing', async () => {
    app.setNow(DEFAULT_NOW);
    const v = await voiceClinic(app, 'vapi', { secret: SECRET });
    await configure(v.clinic.key, { fallbackHumanNumber: RECEPTION });
    expect(await send(v.path, toolCall('vapi-in', `${base}/vapi-in/control`))).toBe(
      'Vou passar a chamada para a receção. Um momento, por favor.',
    );
    const control = received.filter((r) => r.path === '/vapi-in/control');
    expect(control.map((r) => r.body)).toEqual([
      {
        type: 'transfer',
        destination: { type: 'number', number: RECEPTION },
        content: 'Vou passar a chamada para a receção. Um momento, por favor.',
      },
    ]);

    app.setNow(EVENING);
    expect(await send(v.path, toolCall('vapi-late', `${base}/vapi-late/control`))).toMatch(/fechada/);
    expect(received.filter((r) => r.path === '/vapi-late/control')).toEqual([]);
  });

  it('a refused control message: the caller is offered a message, and no transfer is recorded', async () => {
    app.setNow(DEFAULT_NOW);
    const v = await voiceClinic(app, 'vapi', { secret: SECRET });
    await configure(v.clinic.key, { fallbackHumanNumber: RECEPTION });
    statusFor.set('/vapi-gone/control', 404);
    expect(await send(v.path, toolCall('vapi-gone', `${base}/vapi-gone/control`))).toBe(
      'Não consegui passar a chamada agora. Posso deixar uma mensagem para lhe ligarem de volta?',
    );
    const calls = (await app.request('GET', '/v1/calls', { key: v.clinic.key })).body.items;
    expect(calls[0].outcome).toBeNull();
  });
});

describe('take_message: the webhook event is delivered', () => {
  it('callback_request.created reaches the PMS endpoint, signed, with the request inside', async () => {
    app.setNow(DEFAULT_NOW);
    const SECRET = 'vapi-shared-secret-0123456789-0123456789';
    const v = await voiceClinic(app, 'vapi', { secret: SECRET });
    const hook = await app.request('POST', '/v1/webhooks', {
      key: v.clinic.key,
      body: { url: `${base}/pms/hooks`, events: ['callback_request.created'] },
    });
    expect(hook.status).toBe(201);
    const reply = await app.request('POST', v.path, {
      body: JSON.stringify({
        message: {
          type: 'tool-calls',
          call: { id: 'call-hook', type: 'inboundPhoneCall', customer: { number: CALLER } },
          toolCallList: [
            {
              id: 'tc-hook',
              type: 'function',
              function: {
                name: 'take_message',
                arguments: { callerName: 'Maria Silva', reason: 'Pedir receita', urgency: 'normal' },
              },
            },
          ],
        },
      }),
      headers: { 'content-type': 'application/json', 'x-vapi-secret': SECRET },
    });
    expect(reply.body.results[0].result).toBe('Mensagem registada. A clínica vai ligar-lhe de volta.');
    await app.runScheduledJobs();
    const delivered = received.filter((r) => r.path === '/pms/hooks');
    expect(delivered).toHaveLength(1);
    const [event] = delivered;
    expect(event!.body).toMatchObject({
      type: 'callback_request.created',
      tenantId: v.clinic.tenantId,
      data: {
        callbackRequest: {
          callerName: 'Maria Silva',
          reason: 'Pedir receita',
          urgency: 'normal',
          phoneMasked: '+351 ••• ••• 678',
        },
      },
    });
    expect(event!.raw).not.toContain('912345678');
    // Signed as every delivery is: t=<unix s>,v1=<hex HMAC-SHA256(secret, "t.body")>.
    const header = String(event!.headers['x-agendai-signature']);
    const t = /t=(\d+)/.exec(header)?.[1];
    const v1 = /v1=([0-9a-f]+)/.exec(header)?.[1];
    expect(v1).toBe(createHmac('sha256', hook.body.secret).update(`${t}.${event!.raw}`).digest('hex'));
    const log = await app.request('GET', `/v1/webhooks/${hook.body.id}/deliveries`, { key: v.clinic.key });
    expect(log.body.items[0]).toMatchObject({ eventType: 'callback_request.created', status: 'delivered' });
  });
});
