// Telnyx Call Control events, signed with Ed25519 by a key pair made here with Web Crypto.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import { maskPhone } from '../../src/domain/phone-mask.js';
import type { TestApp } from '../support/types.js';
import { voiceClinic } from '../support/voice.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const CALLER = '+351912345678';
const LINE = '+351210000000';
const base64 = (bytes: ArrayBuffer) => btoa(String.fromCharCode(...new Uint8Array(bytes)));

async function keyPair() {
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  return {
    privateKey: pair.privateKey,
    publicKey: base64(await crypto.subtle.exportKey('raw', pair.publicKey)),
  };
}

let telnyxKeys: Awaited<ReturnType<typeof keyPair>>;
beforeAll(async () => {
  telnyxKeys = await keyPair();
});

const event = (type: string, callControlId: string, payload: Record<string, unknown> = {}, at = app.now()) =>
  JSON.stringify({
    data: {
      record_type: 'event',
      event_type: type,
      id: crypto.randomUUID(),
      occurred_at: new Date(at).toISOString(),
      payload: {
        call_control_id: callControlId,
        call_leg_id: `leg-${callControlId}`,
        call_session_id: `session-${callControlId}`,
        connection_id: '1494404757140276705',
        client_state: null,
        from: CALLER,
        to: LINE,
        direction: 'incoming',
        state: 'parked',
        ...payload,
      },
    },
    meta: { attempt: 1, delivered_to: 'https://clinic.example/webhook' },
  });

async function send(
  path: string,
  raw: string,
  options: { at?: number; key?: CryptoKey; signed?: string; separator?: string } = {},
) {
  const timestamp = String(Math.floor((options.at ?? app.now()) / 1000));
  const message = `${timestamp}${options.separator ?? '|'}${options.signed ?? raw}`;
  const signature = await crypto.subtle.sign(
    { name: 'Ed25519' },
    options.key ?? telnyxKeys.privateKey,
    new TextEncoder().encode(message),
  );
  return app.request('POST', path, {
    body: raw,
    headers: {
      'content-type': 'application/json',
      'telnyx-timestamp': timestamp,
      'telnyx-signature-ed25519': base64(signature),
    },
  });
}

const callsOf = async (key: string) => (await app.request('GET', '/v1/calls', { key })).body.items;

describe('Telnyx: call events', () => {
  it('call.initiated opens the call, call.hangup closes it with its duration and hangup cause', async () => {
    const t = await voiceClinic(app, 'telnyx', { publicKey: telnyxKeys.publicKey });
    const start = app.now() - 200_000;
    expect((await send(t.path, event('call.initiated', 'v3:call-1', {}, start))).status).toBe(200);
    expect(
      (await send(t.path, event('call.answered', 'v3:call-1', { state: 'answered' }, start + 2000))).status,
    ).toBe(200);
    const [open] = await callsOf(t.clinic.key);
    expect(open).toMatchObject({
      platform: 'telnyx',
      externalCallId: 'v3:call-1',
      status: 'in_progress',
      fromNumberMasked: maskPhone(CALLER),
      toNumber: LINE,
    });
    const hangup = event(
      'call.hangup',
      'v3:call-1',
      {
        state: 'hangup',
        hangup_cause: 'normal_clearing',
        hangup_source: 'caller',
        sip_hangup_cause: '200',
        start_time: new Date(start).toISOString(),
        end_time: new Date(start + 134_000).toISOString(),
      },
      start + 134_000,
    );
    expect((await send(t.path, hangup)).status).toBe(200);
    expect((await send(t.path, hangup)).status).toBe(200);
    const calls = await callsOf(t.clinic.key);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      status: 'completed',
      durationSeconds: 134,
      endedReason: 'normal_clearing',
    });
  });

  it('a call the clinic places records the patient as the number dialled; an unanswered one as failed', async () => {
    const t = await voiceClinic(app, 'telnyx', { publicKey: telnyxKeys.publicKey });
    const outgoing = { direction: 'outgoing', from: LINE, to: CALLER };
    await send(t.path, event('call.initiated', 'v3:out', outgoing));
    await send(t.path, event('call.hangup', 'v3:out', { ...outgoing, hangup_cause: 'busy' }));
    expect((await callsOf(t.clinic.key))[0]).toMatchObject({
      fromNumberMasked: maskPhone(CALLER),
      toNumber: LINE,
      status: 'failed',
      endedReason: 'busy',
    });
  });

  it('acknowledges events that are not about a call without a record', async () => {
    const t = await voiceClinic(app, 'telnyx', { publicKey: telnyxKeys.publicKey });
    const raw = JSON.stringify({ data: { event_type: 'message.received', payload: { id: 'm1' } } });
    expect((await send(t.path, raw)).status).toBe(200);
    expect(await callsOf(t.clinic.key)).toHaveLength(0);
  });
});

describe('Telnyx: telnyx-signature-ed25519', () => {
  it('rejects another key, a forged, stale or re-serialised body, and unsigned requests with 401, recording nothing', async () => {
    const t = await voiceClinic(app, 'telnyx', { publicKey: telnyxKeys.publicKey });
    const raw = event('call.initiated', 'v3:bad');
    const stranger = await keyPair();
    const rejected = [
      await send(t.path, raw, { key: stranger.privateKey }),
      await send(t.path, raw, { signed: raw.replace(CALLER, '+351969999999') }),
      await send(t.path, raw, { at: app.now() - 301_000 }),
      await send(t.path, raw, { at: app.now() + 301_000 }),
      await send(t.path, raw, { separator: '.' }),
      await send(t.path, JSON.stringify(JSON.parse(raw), null, 2), { signed: raw }),
      await app.request('POST', t.path, { body: raw }),
      await app.request('POST', t.path, {
        body: raw,
        headers: {
          'telnyx-timestamp': String(Math.floor(app.now() / 1000)),
          'telnyx-signature-ed25519': '!!',
        },
      }),
    ];
    for (const reply of rejected) {
      expect(reply.status).toBe(401);
      expect(reply.body.error).toBe('invalid_signature');
    }
    expect(await callsOf(t.clinic.key)).toHaveLength(0);
  });

  it('only takes a 32-byte base64 public key', async () => {
    const clinic = await app.createClinic();
    const reply = await app.request('POST', '/v1/voice/integrations', {
      key: clinic.key,
      body: { platform: 'telnyx', credentials: { publicKey: 'short' } },
    });
    expect(reply.status).toBe(422);
  });
});
