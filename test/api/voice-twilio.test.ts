// Twilio call status callbacks, signed with the twilio SDK's own getExpectedTwilioSignature.
import { getExpectedTwilioSignature, validateRequest } from 'twilio/lib/webhooks/webhooks.js';
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

const AUTH_TOKEN = 'twilio-auth-token-0123456789abcdef';
const CALLER = '+351912345678';
const LINE = '+351210000000';

/** The form fields of a voice status callback, as Twilio posts them. */
const status = (callSid: string, callStatus: string, extra: Record<string, string> = {}) => ({
  AccountSid: 'AC00000000000000000000000000000000',
  ApiVersion: '2010-04-01',
  CallSid: callSid,
  CallStatus: callStatus,
  CallbackSource: 'call-progress-events',
  Called: LINE,
  Caller: CALLER,
  Direction: 'inbound',
  From: CALLER,
  To: LINE,
  SequenceNumber: '0',
  Timestamp: new Date(app.now()).toUTCString(),
  ...extra,
});

async function send(
  path: string,
  params: Record<string, string>,
  options: { url: string; token?: string; headers?: Record<string, string>; signed?: Record<string, string> },
) {
  const signature = getExpectedTwilioSignature(
    options.token ?? AUTH_TOKEN,
    options.url,
    options.signed ?? params,
  );
  return app.request('POST', path, {
    body: new URLSearchParams(params).toString(),
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': signature,
      ...options.headers,
    },
  });
}

const callsOf = async (key: string) => (await app.request('GET', '/v1/calls', { key })).body.items;

describe('Twilio: call status callbacks', () => {
  it('ringing opens the call, completed closes it with CallDuration; answered with empty TwiML', async () => {
    const t = await voiceClinic(app, 'twilio', { authToken: AUTH_TOKEN });
    const url = t.integration.webhookUrl;
    const ringing = status('CA1', 'ringing', { CallerName: 'Maria Silva' });
    expect(
      validateRequest(AUTH_TOKEN, getExpectedTwilioSignature(AUTH_TOKEN, url, ringing), url, ringing),
    ).toBe(true);
    const reply = await send(t.path, ringing, { url });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toContain('text/xml');
    expect(reply.text).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    expect((await callsOf(t.clinic.key))[0]).toMatchObject({
      platform: 'twilio',
      externalCallId: 'CA1',
      status: 'in_progress',
      fromNumberMasked: maskPhone(CALLER),
      toNumber: LINE,
    });

    await send(t.path, status('CA1', 'in-progress', { SequenceNumber: '1' }), { url });
    const completed = status('CA1', 'completed', { SequenceNumber: '2', CallDuration: '95', Duration: '2' });
    expect((await send(t.path, completed, { url })).status).toBe(200);
    const calls = await callsOf(t.clinic.key);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ status: 'completed', durationSeconds: 95, endedReason: 'completed' });
  });

  it('an outbound call records the patient as the number dialled; busy is a failed call', async () => {
    const t = await voiceClinic(app, 'twilio', { authToken: AUTH_TOKEN });
    const params = status('CA2', 'busy', { Direction: 'outbound-api', From: LINE, To: CALLER });
    await send(t.path, params, { url: t.integration.webhookUrl });
    expect((await callsOf(t.clinic.key))[0]).toMatchObject({
      fromNumberMasked: maskPhone(CALLER),
      toNumber: LINE,
      status: 'failed',
      endedReason: 'busy',
    });
  });

  it('behind a proxy or TLS terminator, verifies the public URL Twilio called (X-Forwarded-Proto/-Host)', async () => {
    const t = await voiceClinic(app, 'twilio', { authToken: AUTH_TOKEN });
    const publicUrl = `https://clinic.example.com${t.path}`;
    const params = status('CA3', 'ringing');
    const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'clinic.example.com' };
    expect((await send(t.path, params, { url: publicUrl, headers: forwarded })).status).toBe(200);
    // Twilio may sign the URL with the default port written out.
    const withPort = `https://clinic.example.com:443${t.path}`;
    expect((await send(t.path, params, { url: withPort, headers: forwarded })).status).toBe(200);
    // Without the proxy's headers the public URL is not the one this server saw.
    expect((await send(t.path, params, { url: publicUrl })).status).toBe(401);
    // A garbled forwarded host leaves the URL this server saw as the only candidate.
    const garbled = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'bad host/x' };
    expect((await send(t.path, params, { url: t.integration.webhookUrl, headers: garbled })).status).toBe(
      200,
    );
  });
});

describe('Twilio: X-Twilio-Signature', () => {
  it('rejects another token, changed or added fields, another URL, and unsigned requests with 401, recording nothing', async () => {
    const t = await voiceClinic(app, 'twilio', { authToken: AUTH_TOKEN });
    const other = await voiceClinic(app, 'twilio', { authToken: AUTH_TOKEN });
    const url = t.integration.webhookUrl;
    const params = status('CA4', 'ringing');
    const rejected = [
      await send(t.path, params, { url, token: 'another-token-0123456789' }),
      await send(t.path, { ...params, From: '+351969999999' }, { url, signed: params }),
      await send(t.path, { ...params, Extra: '1' }, { url, signed: params }),
      // A signature made for another integration's URL does not open this one.
      await send(t.path, params, { url: other.integration.webhookUrl }),
      await send(t.path, params, { url: `${url}?x=1` }),
      await app.request('POST', t.path, {
        body: new URLSearchParams(params).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
    ];
    for (const reply of rejected) {
      expect(reply.status).toBe(401);
      expect(reply.body.error).toBe('invalid_signature');
    }
    expect(await callsOf(t.clinic.key)).toHaveLength(0);
  });

  it('signs the decoded fields, so any valid form encoding of them is the same request', async () => {
    const t = await voiceClinic(app, 'twilio', { authToken: AUTH_TOKEN });
    const params = status('CA5', 'ringing', { CallerName: 'Maria Silva & Filhos' });
    const signature = getExpectedTwilioSignature(AUTH_TOKEN, t.integration.webhookUrl, params);
    const encoded = Object.entries(params)
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
      .join('&');
    const reply = await app.request('POST', t.path, {
      body: encoded,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    });
    expect(reply.status).toBe(200);
  });
});
