// POST /v1/calls/{id}/callback: the clinic's voice platform calls the caller back. Each platform's
// API is a local stand-in (test/support/platform-stand-in.ts) that checks the request as the
// platform documents it and answers as the platform does, refusals included; the calls being
// returned arrive through each platform's own signed webhooks.
import { symmetric } from 'retell-sdk/lib/webhook_auth';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestApp } from '#harness';
import { nextPhone } from '../support/factories.js';
import { type SeenRequest, STAND_IN_KEYS } from '../support/platform-stand-in.js';
import type { TestApp } from '../support/types.js';
import { voiceClinic } from '../support/voice.js';

const STAND_IN = inject('platformStandIn');
const VAPI_SECRET = 'callback-vapi-secret-0123456789abcdefgh';
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({
    platformApiBaseUrls: {
      vapi: `${STAND_IN}/vapi`,
      retell: `${STAND_IN}/retell`,
      twilio: `${STAND_IN}/twilio`,
      telnyx: `${STAND_IN}/telnyx`,
    },
  });
});
afterAll(() => app.close());

/** What the stand-in received that concerns `number` (each test dials its own caller). */
async function seenFor(number: string): Promise<SeenRequest[]> {
  const all = (await (await fetch(`${STAND_IN}/_requests`)).json()) as SeenRequest[];
  return all.filter((r) => r.body.includes(number) || r.body.includes(encodeURIComponent(number)));
}

const digits = (phone: string) => phone.replace(/\D/g, '').slice(-9);

const callback = (app: TestApp, key: string, callId: string, idempotencyKey?: string) =>
  app.request('POST', `/v1/calls/${callId}/callback`, {
    key,
    headers: idempotencyKey ? { 'idempotency-key': idempotencyKey } : {},
  });

async function callIdOf(key: string, externalCallId: string): Promise<string> {
  const list = await app.request('GET', '/v1/calls', { key, query: { limit: 100 } });
  const call = list.body.items.find((c: { externalCallId: string }) => c.externalCallId === externalCallId);
  if (!call) throw new Error(`no call ${externalCallId}: ${list.text}`);
  return call.id;
}

async function vapiLine(
  outbound: Record<string, unknown> | null = { assistantId: 'asst-1', phoneNumberId: 'pn-1' },
) {
  const v = await voiceClinic(app, 'vapi', { secret: VAPI_SECRET, apiKey: STAND_IN_KEYS.vapi });
  if (outbound) {
    const patched = await app.request('PATCH', `/v1/voice/integrations/${v.integration.id}`, {
      key: v.clinic.key,
      body: { outbound },
    });
    expect(patched.status, patched.text).toBe(200);
  }
  /** A call from `caller` (null: withheld) as Vapi reports it; returns our call id. */
  const call = async (caller: string | null, externalCallId = crypto.randomUUID()) => {
    const reply = await app.request('POST', v.path, {
      headers: { 'x-vapi-secret': VAPI_SECRET },
      body: {
        message: {
          type: 'status-update',
          status: 'in-progress',
          call: {
            id: externalCallId,
            type: 'inboundPhoneCall',
            ...(caller ? { customer: { number: caller } } : {}),
          },
        },
      },
    });
    expect(reply.status, reply.text).toBe(200);
    return callIdOf(v.clinic.key, externalCallId);
  };
  return { ...v, call };
}

describe('Vapi: POST /call', () => {
  it('dials the caller with the assistant and number ids and the private key; answers 202 without the number', async () => {
    const line = await vapiLine();
    const caller = nextPhone();
    const callId = await line.call(caller);
    const reply = await callback(app, line.clinic.key, callId);
    expect(reply.status, reply.text).toBe(202);
    expect(reply.body).toMatchObject({ callId, platform: 'vapi', status: 'placed' });
    expect(reply.body.externalCallId).toMatch(/^[0-9a-f-]{36}$/);
    expect(reply.text).not.toContain(digits(caller));
    const [sent, ...more] = await seenFor(caller);
    expect(more).toEqual([]);
    expect(sent).toMatchObject({
      method: 'POST',
      path: '/vapi/call',
      authorization: `Bearer ${STAND_IN_KEYS.vapi}`,
      contentType: 'application/json',
    });
    expect(JSON.parse(sent!.body)).toEqual({
      assistantId: 'asst-1',
      phoneNumberId: 'pn-1',
      customer: { number: caller },
    });
  });

  it('one call per Idempotency-Key: a retry replays the same bytes and dials nobody', async () => {
    const line = await vapiLine();
    const caller = nextPhone();
    const callId = await line.call(caller);
    const first = await callback(app, line.clinic.key, callId, 'pms-callback-1');
    const again = await callback(app, line.clinic.key, callId, 'pms-callback-1');
    expect(first.status, first.text).toBe(202);
    expect(again.status).toBe(202);
    expect(again.text).toBe(first.text);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(await seenFor(caller)).toHaveLength(1);
    const otherCall = await line.call(caller);
    const reused = await callback(app, line.clinic.key, otherCall, 'pms-callback-1');
    expect(reused.status).toBe(422);
    expect(reused.body.error).toBe('idempotency_key_reused');
    expect(await seenFor(caller)).toHaveLength(1);
  });

  it('parallel requests with one key place one call; the others are told to retry or get the replay', async () => {
    const line = await vapiLine({ assistantId: 'asst-slow', phoneNumberId: 'pn-1' });
    const caller = nextPhone();
    const callId = await line.call(caller);
    const replies = await Promise.all(
      Array.from({ length: 6 }, () => callback(app, line.clinic.key, callId, 'parallel-callback')),
    );
    const placed = replies.filter((r) => r.status === 202);
    const busy = replies.filter((r) => r.status === 409);
    expect(placed.length + busy.length, replies.map((r) => r.text).join('\n')).toBe(6);
    expect(new Set(placed.map((r) => r.body.externalCallId)).size).toBe(1);
    for (const r of busy) {
      expect(r.body.error).toBe('idempotency_key_in_use');
      expect(r.headers.get('retry-after')).toBe('1');
    }
    expect(await seenFor(caller)).toHaveLength(1);
    const later = await callback(app, line.clinic.key, callId, 'parallel-callback');
    expect(later.status).toBe(202);
    expect(later.body.externalCallId).toBe(placed[0]!.body.externalCallId);
  });

  it("another clinic's call is a 404, a key without callbacks:write a 403, and nothing is dialled", async () => {
    const line = await vapiLine();
    const caller = nextPhone();
    const callId = await line.call(caller);
    const stranger = await app.createClinic({ name: 'Outra clínica' });
    const foreign = await callback(app, stranger.key, callId);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error).toBe('call_not_found');
    const { key: reader } = await app.createKey(line.clinic.tenantId, ['calls:read', 'calls:write']);
    const denied = await callback(app, reader, callId);
    expect(denied.status).toBe(403);
    expect(denied.body.error).toBe('insufficient_scope');
    const { key: allowed } = await app.createKey(line.clinic.tenantId, ['callbacks:write']);
    expect((await callback(app, allowed, crypto.randomUUID())).status).toBe(404);
    expect(await seenFor(caller)).toHaveLength(0);
  });

  it('a 5xx may have placed the call: 502 recorded with the key, a retry replays it and dials nobody', async () => {
    const line = await vapiLine({ assistantId: 'asst-fail-500', phoneNumberId: 'pn-1' });
    const caller = nextPhone();
    const callId = await line.call(caller);
    const failed = await callback(app, line.clinic.key, callId, 'fails-first');
    expect(failed.status).toBe(502);
    expect(failed.body).toMatchObject({ error: 'platform_error', errors: [] });
    expect(failed.body.message).toMatch(/^Vapi refused the callback \(HTTP 500\): Internal server error\. /);
    expect(failed.body.message).toContain('may have been placed');
    expect(failed.body.requestId).toBeTruthy();
    const retried = await callback(app, line.clinic.key, callId, 'fails-first');
    expect(retried.status).toBe(502);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(retried.text).toBe(failed.text);
    expect(await seenFor(caller)).toHaveLength(1);
    // It counts toward the call's limit: two more attempts (new keys), then 429.
    expect((await callback(app, line.clinic.key, callId, 'second')).status).toBe(502);
    expect((await callback(app, line.clinic.key, callId, 'third')).status).toBe(502);
    expect((await callback(app, line.clinic.key, callId, 'fourth')).status).toBe(429);
    expect(await seenFor(caller)).toHaveLength(3);
  });

  it('a 4xx is a plain refusal: nothing rang, the key is given back and the limit is not spent', async () => {
    const line = await vapiLine();
    await app.request('PATCH', `/v1/voice/integrations/${line.integration.id}`, {
      key: line.clinic.key,
      body: { credentials: { secret: VAPI_SECRET, apiKey: 'not-the-private-key' } },
    });
    const caller = nextPhone();
    const callId = await line.call(caller);
    for (let attempt = 0; attempt < 4; attempt++) {
      const refused = await callback(app, line.clinic.key, callId, 'refused-key');
      expect(refused.status).toBe(502);
      expect(refused.headers.get('idempotent-replayed')).toBeNull();
      expect(refused.body.message).not.toContain('may have been placed');
    }
    expect(await seenFor(caller)).toHaveLength(4);
  });

  it('a redirect is not followed and rang nobody: 502, the key is given back, the platform saw one POST', async () => {
    const line = await vapiLine({ assistantId: 'asst-moved', phoneNumberId: 'pn-1' });
    const caller = nextPhone();
    const callId = await line.call(caller);
    for (let attempt = 0; attempt < 2; attempt++) {
      const moved = await callback(app, line.clinic.key, callId, 'moved');
      expect(moved.status).toBe(502);
      expect(moved.headers.get('idempotent-replayed')).toBeNull();
      expect(moved.body.message).toMatch(/^Vapi refused the callback \(HTTP 307\)/);
      expect(moved.body.message).not.toContain('may have been placed');
    }
    expect(await seenFor(caller)).toHaveLength(2);
  });

  it('a wrong API key is reported with the platform reason; withheld numbers and missing settings are 409s', async () => {
    const line = await vapiLine();
    await app.request('PATCH', `/v1/voice/integrations/${line.integration.id}`, {
      key: line.clinic.key,
      body: { credentials: { secret: VAPI_SECRET, apiKey: 'not-the-private-key' } },
    });
    const caller = nextPhone();
    const refused = await callback(app, line.clinic.key, await line.call(caller));
    expect(refused.status).toBe(502);
    expect(refused.body.message).toMatch(/^Vapi refused the callback \(HTTP 401\): Invalid Key/);

    const withheld = await callback(app, line.clinic.key, await line.call(null));
    expect(withheld.status).toBe(409);
    expect(withheld.body).toMatchObject({
      error: 'caller_number_unavailable',
      message: 'The caller withheld their number',
    });

    const bare = await vapiLine(null);
    const unset = await callback(app, bare.clinic.key, await bare.call(nextPhone()));
    expect(unset.status).toBe(409);
    expect(unset.body.error).toBe('callback_not_configured');
    expect(unset.body.message).toContain('outbound');
  });

  it('the number kept sealed goes with the call retention: afterwards the callback is refused', async () => {
    const line = await vapiLine();
    const callId = await line.call(nextPhone());
    await app.request('PATCH', '/v1/tenants/me', {
      key: line.clinic.key,
      body: { config: { callRetentionDays: 1 } },
    });
    const start = app.now();
    app.setNow(start + 2 * 86_400_000);
    try {
      await app.runScheduledJobs();
      const reply = await callback(app, line.clinic.key, callId);
      expect(reply.status).toBe(409);
      expect(reply.body.error).toBe('caller_number_unavailable');
      expect(reply.body.message).toContain('retention');
    } finally {
      app.setNow(start);
    }
  });

  it('at most 3 callbacks per call per hour: the 4th is a 429 with Retry-After', async () => {
    const line = await vapiLine();
    const caller = nextPhone();
    const callId = await line.call(caller);
    for (let i = 0; i < 3; i++) expect((await callback(app, line.clinic.key, callId)).status).toBe(202);
    const fourth = await callback(app, line.clinic.key, callId, 'fourth');
    expect(fourth.status).toBe(429);
    expect(fourth.body.error).toBe('rate_limit_exceeded');
    expect(Number(fourth.headers.get('retry-after'))).toBeGreaterThan(3000);
    expect(await seenFor(caller)).toHaveLength(3);
    const start = app.now();
    app.setNow(start + 3_600_001);
    try {
      // The refused key was given back: the same key now places the call.
      expect((await callback(app, line.clinic.key, callId, 'fourth')).status).toBe(202);
    } finally {
      app.setNow(start);
    }
  });

  it('outbound settings are validated per platform and shown back, the API key never', async () => {
    const line = await vapiLine();
    const got = await app.request('GET', `/v1/voice/integrations/${line.integration.id}`, {
      key: line.clinic.key,
    });
    expect(got.body.outbound).toEqual({ assistantId: 'asst-1', phoneNumberId: 'pn-1' });
    expect(got.body.credentialFields).toEqual(['apiKey', 'secret']);
    expect(got.text).not.toContain(STAND_IN_KEYS.vapi);
    const bad = await app.request('PATCH', `/v1/voice/integrations/${line.integration.id}`, {
      key: line.clinic.key,
      body: { outbound: { assistantId: 'asst-1' } },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].path).toMatch(/^outbound/);
    const cleared = await app.request('PATCH', `/v1/voice/integrations/${line.integration.id}`, {
      key: line.clinic.key,
      body: { outbound: null },
    });
    expect(cleared.body.outbound).toBeNull();
  });
});

describe('the egress rule (this app allows public addresses only)', () => {
  it("a clinic's twimlUrl must be public: a loopback or private one is refused on the field", async () => {
    const t = await voiceClinic(app, 'twilio', { authToken: STAND_IN_KEYS.twilioToken });
    for (const twimlUrl of [
      'https://127.0.0.1/voice',
      'https://10.0.0.7/voice',
      'http://clinic.example/voice',
    ]) {
      const reply = await app.request('PATCH', `/v1/voice/integrations/${t.integration.id}`, {
        key: t.clinic.key,
        body: { outbound: { accountSid: STAND_IN_KEYS.twilioSid, fromNumber: '+351210000000', twimlUrl } },
      });
      expect(reply.status, twimlUrl).toBe(422);
      expect(reply.body.errors[0].path).toBe('outbound.twimlUrl');
    }
  });

  it('a recording URL on a private address is never fetched: the link answers 502', async () => {
    const line = await vapiLine();
    const id = crypto.randomUUID();
    for (const message of [
      { type: 'status-update', status: 'in-progress' },
      { type: 'end-of-call-report', artifact: { recordingUrl: `${STAND_IN}/recordings/private.wav` } },
    ]) {
      await app.request('POST', line.path, {
        headers: { 'x-vapi-secret': VAPI_SECRET },
        body: { message: { ...message, call: { id, customer: { number: nextPhone() } } } },
      });
    }
    const link = await app.request('GET', `/v1/calls/${await callIdOf(line.clinic.key, id)}/recording`, {
      key: line.clinic.key,
    });
    const u = new URL(link.body.url);
    const reply = await app.request('GET', u.pathname + u.search, { key: null });
    expect(reply.status).toBe(502);
    expect(reply.body.error).toBe('platform_error');
  });
});

describe('Retell: create-phone-call through retell-sdk', () => {
  async function retellLine(fromNumber: string) {
    const r = await voiceClinic(app, 'retell', { apiKey: STAND_IN_KEYS.retell });
    const patched = await app.request('PATCH', `/v1/voice/integrations/${r.integration.id}`, {
      key: r.clinic.key,
      body: { outbound: { fromNumber, agentId: 'agent_callback' } },
    });
    expect(patched.status, patched.text).toBe(200);
    const call = async (caller: string) => {
      const externalCallId = `call_${crypto.randomUUID().replace(/-/g, '')}`;
      const raw = JSON.stringify({
        event: 'call_started',
        call: {
          call_id: externalCallId,
          call_type: 'phone_call',
          agent_id: 'agent_abc',
          call_status: 'ongoing',
          direction: 'inbound',
          from_number: caller,
          to_number: '+351210000000',
          metadata: {},
        },
      });
      const reply = await app.request('POST', r.path, {
        body: raw,
        headers: {
          'content-type': 'application/json',
          'x-retell-signature': await symmetric.sign(raw, STAND_IN_KEYS.retell, app.now()),
        },
      });
      expect(reply.status, reply.text).toBe(204);
      return callIdOf(r.clinic.key, externalCallId);
    };
    return { ...r, call };
  }

  it('sends from_number, to_number, override_agent_id and our ids as metadata, with the Bearer key', async () => {
    const line = await retellLine('+351210000000');
    const caller = nextPhone();
    const callId = await line.call(caller);
    const reply = await callback(app, line.clinic.key, callId);
    expect(reply.status, reply.text).toBe(202);
    expect(reply.body.externalCallId).toMatch(/^call_[0-9a-f]{32}$/);
    const [sent] = await seenFor(caller);
    expect(sent).toMatchObject({
      method: 'POST',
      path: '/retell/v2/create-phone-call',
      authorization: `Bearer ${STAND_IN_KEYS.retell}`,
    });
    expect(JSON.parse(sent!.body)).toEqual({
      from_number: '+351210000000',
      to_number: caller,
      override_agent_id: 'agent_callback',
      metadata: { agendaiCallbackId: reply.body.id, agendaiCallId: callId },
    });
  });

  it("Retell's refusals become 502s whose message never carries the caller's number", async () => {
    const refusing = await retellLine('+15550000422');
    const caller = nextPhone();
    const reply = await callback(app, refusing.clinic.key, await refusing.call(caller));
    expect(reply.status).toBe(502);
    expect(reply.body.error).toBe('platform_error');
    expect(reply.body.message).toMatch(
      /^Retell refused the callback \(HTTP 422\): Cannot call •+\d\d: number not allowed$/,
    );
    expect(reply.text).not.toContain(digits(caller));
    const down = await retellLine('+15550000503');
    const unavailable = await callback(app, down.clinic.key, await down.call(nextPhone()));
    expect(unavailable.status).toBe(502);
    expect(unavailable.body.message).toMatch(
      /^Retell refused the callback \(HTTP 503\): Service Unavailable\. /,
    );
  });
});

describe('Twilio: Calls.json', () => {
  async function twilioLine(fromNumber: string, token: string = STAND_IN_KEYS.twilioToken) {
    const t = await voiceClinic(app, 'twilio', { authToken: token });
    const patched = await app.request('PATCH', `/v1/voice/integrations/${t.integration.id}`, {
      key: t.clinic.key,
      body: {
        outbound: {
          accountSid: STAND_IN_KEYS.twilioSid,
          fromNumber,
          twimlUrl: 'https://clinic.example/voice',
        },
      },
    });
    expect(patched.status, patched.text).toBe(200);
    const call = async (caller: string) => {
      const sid = `CA${crypto.randomUUID().replace(/-/g, '')}`;
      const params = {
        AccountSid: STAND_IN_KEYS.twilioSid,
        CallSid: sid,
        CallStatus: 'in-progress',
        Direction: 'inbound',
        From: caller,
        To: '+351210000000',
      };
      const reply = await app.request('POST', t.path, {
        body: new URLSearchParams(params).toString(),
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': getExpectedTwilioSignature(token, t.integration.webhookUrl, params),
        },
      });
      expect(reply.status, reply.text).toBe(200);
      return callIdOf(t.clinic.key, sid);
    };
    return { ...t, call };
  }

  it('posts To, From, Url and our webhook as StatusCallback, form-encoded with Basic auth', async () => {
    const line = await twilioLine('+351210000000');
    const caller = nextPhone();
    const reply = await callback(app, line.clinic.key, await line.call(caller));
    expect(reply.status, reply.text).toBe(202);
    expect(reply.body.externalCallId).toMatch(/^CA[0-9a-f]{32}$/);
    const [sent] = await seenFor(caller);
    expect(sent).toMatchObject({
      path: `/twilio/2010-04-01/Accounts/${STAND_IN_KEYS.twilioSid}/Calls.json`,
      authorization: `Basic ${btoa(`${STAND_IN_KEYS.twilioSid}:${STAND_IN_KEYS.twilioToken}`)}`,
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(Object.fromEntries(new URLSearchParams(sent!.body))).toEqual({
      To: caller,
      From: '+351210000000',
      Url: 'https://clinic.example/voice',
      StatusCallback: line.integration.webhookUrl,
      StatusCallbackMethod: 'POST',
    });
  });

  it("Twilio's error (code 21211, naming the number) is a 502 with the number masked", async () => {
    const line = await twilioLine('+15550000400');
    const caller = nextPhone();
    const reply = await callback(app, line.clinic.key, await line.call(caller));
    expect(reply.status).toBe(502);
    expect(reply.body.message).toMatch(
      /^Twilio refused the callback \(HTTP 400\): The 'To' number •+\d\d is not a valid phone number\.$/,
    );
    expect(reply.text).not.toContain(digits(caller));
  });
  it('a stored token that cannot go in a Basic header is a clear 502, never a 500, and nothing is dialled', async () => {
    const line = await twilioLine('+351210000000', 'token-with-a-euro-€-0123456789abcdef');
    const caller = nextPhone();
    const reply = await callback(app, line.clinic.key, await line.call(caller));
    expect(reply.status, reply.text).toBe(502);
    expect(reply.body.error).toBe('platform_error');
    expect(await seenFor(caller)).toEqual([]);
  });
});

describe('Telnyx: Call Control dial', () => {
  const base64 = (bytes: ArrayBuffer) => btoa(String.fromCharCode(...new Uint8Array(bytes)));
  async function telnyxLine(connectionId: string) {
    const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const publicKey = base64(await crypto.subtle.exportKey('raw', pair.publicKey));
    const t = await voiceClinic(app, 'telnyx', { publicKey, apiKey: STAND_IN_KEYS.telnyx });
    const patched = await app.request('PATCH', `/v1/voice/integrations/${t.integration.id}`, {
      key: t.clinic.key,
      body: { outbound: { connectionId, fromNumber: '+351210000000' } },
    });
    expect(patched.status, patched.text).toBe(200);
    const call = async (caller: string) => {
      const id = `v3:${crypto.randomUUID()}`;
      const raw = JSON.stringify({
        data: {
          record_type: 'event',
          event_type: 'call.initiated',
          id: crypto.randomUUID(),
          occurred_at: new Date(app.now()).toISOString(),
          payload: {
            call_control_id: id,
            connection_id: connectionId,
            from: caller,
            to: '+351210000000',
            direction: 'incoming',
            state: 'parked',
          },
        },
      });
      const timestamp = String(Math.floor(app.now() / 1000));
      const signature = await crypto.subtle.sign(
        { name: 'Ed25519' },
        pair.privateKey,
        new TextEncoder().encode(`${timestamp}|${raw}`),
      );
      const reply = await app.request('POST', t.path, {
        body: raw,
        headers: {
          'content-type': 'application/json',
          'telnyx-timestamp': timestamp,
          'telnyx-signature-ed25519': base64(signature),
        },
      });
      expect(reply.status, reply.text).toBe(200);
      return callIdOf(t.clinic.key, id);
    };
    return { ...t, call };
  }

  it('posts connection_id, to, from and a client_state naming our callback, with the Bearer key', async () => {
    const line = await telnyxLine('1494404757140276705');
    const caller = nextPhone();
    const reply = await callback(app, line.clinic.key, await line.call(caller));
    expect(reply.status, reply.text).toBe(202);
    expect(reply.body.externalCallId).toMatch(/^v3:/);
    const [sent] = await seenFor(caller);
    expect(sent).toMatchObject({ path: '/telnyx/v2/calls', authorization: `Bearer ${STAND_IN_KEYS.telnyx}` });
    expect(JSON.parse(sent!.body)).toEqual({
      connection_id: '1494404757140276705',
      to: caller,
      from: '+351210000000',
      client_state: btoa(`agendai-callback:${reply.body.id}`),
    });
  });

  it('a Telnyx 503 is a 502 carrying its error detail', async () => {
    const line = await telnyxLine('conn-fail-503');
    const reply = await callback(app, line.clinic.key, await line.call(nextPhone()));
    expect(reply.status).toBe(502);
    expect(reply.body.message).toMatch(/^Telnyx refused the callback \(HTTP 503\): Try again later\. /);
  });
});
