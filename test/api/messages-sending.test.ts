// Messages leave through the clinic's provider and come back as statuses and replies, against local
// stand-ins that check each request as Twilio and Telnyx document it. On Node the Twilio SDK sends
// real HTTP to the stand-in (TWILIO_API_BASE_URL); inside workerd the Worker's fetch client does.
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import { MINUTE } from '../../src/domain/time.js';
import {
  appointmentBody,
  createProfessional,
  createService,
  nextPhone,
  setupClinic,
} from '../support/factories.js';
import {
  type MessageStandIn,
  messageStandIn,
  TELNYX_KEY,
  TWILIO_SID,
  TWILIO_TOKEN,
} from '../support/message-stand-ins.js';
import { formsIn, phoneForms, scanDatabaseRows } from '../support/phone-scan.js';
import type { TestApp } from '../support/types.js';

const BASE = 'https://agendai.example.com';
const SMS_FROM = '+351300000001';
let app: TestApp;
let provider: MessageStandIn;
let telnyxKeys: { privateKey: CryptoKey; publicKey: string };
// For the privacy scan at the end: every patient number used, every log line and every answer.
const patients = new Set<string>();
const logs: string[] = [];
const answers: string[] = [];
const base64 = (bytes: ArrayBuffer) => btoa(String.fromCharCode(...new Uint8Array(bytes)));

beforeAll(async () => {
  provider = messageStandIn();
  app = await startTestApp({
    messageStandIn: provider.handler,
    publicBaseUrl: BASE,
    logSink: (line) => logs.push(line),
  });
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  telnyxKeys = {
    privateKey: pair.privateKey,
    publicKey: base64(await crypto.subtle.exportKey('raw', pair.publicKey)),
  };
});
afterAll(() => app.close());
afterEach(() => {
  expect(provider.contractErrors).toEqual([]);
});

type Setup = Awaited<ReturnType<typeof messagingClinic>>;

/** A clinic sending through `via`, confirming REST bookings, with a sender and its webhook URL. */
async function messagingClinic(
  via: 'twilio' | 'telnyx' | 'whatsapp',
  settings: Record<string, unknown> = {},
) {
  const ids = await setupClinic(app, { name: 'Clínica Sorriso' });
  const key = ids.clinic.key;
  const channel = via === 'whatsapp' ? 'whatsapp' : 'sms';
  const sender = await app.request('PUT', `/v1/messaging/senders/${channel}`, {
    key,
    body:
      via === 'telnyx'
        ? {
            provider: 'telnyx',
            from: SMS_FROM,
            credentials: { apiKey: TELNYX_KEY, publicKey: telnyxKeys.publicKey },
          }
        : {
            provider: 'twilio',
            from: SMS_FROM,
            credentials: { accountSid: TWILIO_SID, authToken: TWILIO_TOKEN },
          },
  });
  expect(sender.status).toBe(200);
  const saved = await app.request('PUT', '/v1/messaging/settings', {
    key,
    body: { enabled: true, channel, confirmationSources: ['manual'], reminderHours: 0, ...settings },
  });
  expect(saved.status).toBe(200);
  return { ...ids, key, webhookUrl: sender.body.webhookUrl as string };
}

async function book(s: Setup, startsAt: string, phone = nextPhone()) {
  patients.add(phone);
  const reply = await app.request('POST', '/v1/appointments', {
    key: s.key,
    body: appointmentBody(s, startsAt, { patientPhone: phone, patientName: 'Maria Silva' }),
  });
  expect(reply.status).toBe(201);
  return { id: reply.body.id as string, phone };
}

const messagesOf = async (s: Setup, appointmentId?: string) => {
  const reply = await app.request('GET', '/v1/messages', { key: s.key, query: { appointmentId } });
  expect(reply.status).toBe(200);
  answers.push(reply.text);
  return reply;
};

const sentTo = (phone: string) => provider.sent.filter((m) => m.to.endsWith(phone));

async function twilioWebhook(s: Setup, fields: Record<string, string>, token = TWILIO_TOKEN) {
  const signature = getExpectedTwilioSignature(token, s.webhookUrl, fields);
  return app.request('POST', new URL(s.webhookUrl).pathname, {
    body: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
  });
}

async function telnyxWebhook(s: Setup, data: Record<string, unknown>) {
  const raw = JSON.stringify({ data: { record_type: 'event', id: crypto.randomUUID(), ...data } });
  const timestamp = String(Math.floor(app.now() / 1000));
  const signature = await crypto.subtle.sign(
    { name: 'Ed25519' },
    telnyxKeys.privateKey,
    new TextEncoder().encode(`${timestamp}|${raw}`),
  );
  return app.request('POST', new URL(s.webhookUrl).pathname, {
    body: raw,
    headers: {
      'content-type': 'application/json',
      'telnyx-timestamp': timestamp,
      'telnyx-signature-ed25519': base64(signature),
    },
  });
}

describe('sending', () => {
  it('confirms a booking by SMS through Twilio: the request as Twilio documents it, the log with the number masked', async () => {
    const s = await messagingClinic('twilio');
    const { id, phone } = await book(s, '2026-03-04T10:00:00Z');
    expect(sentTo(phone)).toEqual([]);
    const report = await app.runScheduledJobs();
    expect(report.messages.sent).toBeGreaterThanOrEqual(1);
    expect(sentTo(phone)).toEqual([
      {
        provider: 'twilio',
        to: phone,
        from: SMS_FROM,
        // With the patient's own link (test/api/patient-links.test.ts opens it).
        body: expect.stringMatching(
          /^Clínica Sorriso: Maria, a sua consulta ficou marcada para 04\/03\/2026 às 10:00 com Dra\. Ana Costa\.\nConfirmar, cancelar ou mudar: https:\/\/agendai\.example\.com\/a\/[\w-]{64}$/,
        ),
        statusCallback: s.webhookUrl,
      },
    ]);
    const log = await messagesOf(s, id);
    expect(log.body.items).toMatchObject([
      {
        kind: 'confirmation',
        status: 'sent',
        channel: 'sms',
        provider: 'twilio',
        attempts: 1,
        encoding: 'UCS-2',
        segments: 4,
      },
    ]);
    const [message] = log.body.items;
    expect(message.providerMessageId).toMatch(/^SM\w{32}$/);
    expect(message.to).toBe(`+351 ••• ••• ${phone.slice(-3)}`);
    expect(message.phoneHash).toMatch(/^v1:[0-9a-f]{64}$/);
    expect(log.text).not.toContain(phone.slice(1));
    // Sent once: another run finds nothing due.
    await app.runScheduledJobs();
    expect(sentTo(phone)).toHaveLength(1);
  });

  it('sends WhatsApp through Twilio with whatsapp: addresses', async () => {
    const s = await messagingClinic('whatsapp', { language: 'en' });
    const { phone } = await book(s, '2026-03-04T11:00:00Z');
    await app.runScheduledJobs();
    expect(sentTo(phone)).toMatchObject([
      {
        to: `whatsapp:${phone}`,
        from: `whatsapp:${SMS_FROM}`,
        body: expect.stringMatching(
          /^Clínica Sorriso: Maria, your appointment is booked for 4 Mar 2026 at 11:00 with Dra\. Ana Costa\.\nConfirm, cancel or change: https:\/\/agendai\.example\.com\/a\/[\w-]{64}$/,
        ),
      },
    ]);
  });

  it('sends SMS through Telnyx, and records its signed delivery report', async () => {
    const s = await messagingClinic('telnyx', { language: 'es' });
    const { id, phone } = await book(s, '2026-03-04T12:00:00Z');
    await app.runScheduledJobs();
    expect(sentTo(phone)).toMatchObject([
      { provider: 'telnyx', to: phone, from: SMS_FROM, statusCallback: s.webhookUrl },
    ]);
    expect(sentTo(phone)[0]!.body).toContain('su cita queda reservada para el 04/03/2026 a las 12:00');
    const [sent] = (await messagesOf(s, id)).body.items;
    const delivered = await telnyxWebhook(s, {
      event_type: 'message.finalized',
      payload: { id: sent.providerMessageId, to: [{ phone_number: phone, status: 'delivered' }] },
    });
    expect(delivered.status).toBe(200);
    expect((await messagesOf(s, id)).body.items[0]).toMatchObject({ status: 'delivered' });
  });

  it("records Twilio's signed status callbacks, and refuses unsigned ones", async () => {
    const s = await messagingClinic('twilio');
    const { id } = await book(s, '2026-03-04T13:00:00Z');
    await app.runScheduledJobs();
    const [sent] = (await messagesOf(s, id)).body.items;
    const fields = {
      MessageSid: sent.providerMessageId,
      MessageStatus: 'undelivered',
      ErrorCode: '30003',
      AccountSid: TWILIO_SID,
    };
    const forged = await twilioWebhook(s, fields, 'another-token-entirely');
    expect(forged.status).toBe(401);
    expect((await messagesOf(s, id)).body.items[0].status).toBe('sent');
    const signed = await twilioWebhook(s, fields);
    expect(signed.status).toBe(200);
    expect(signed.headers.get('content-type')).toContain('text/xml');
    expect((await messagesOf(s, id)).body.items[0]).toMatchObject({
      status: 'undelivered',
      lastError: 'Twilio error 30003',
    });
  });
});

describe('provider failures', () => {
  it('an invalid number fails at once, with the number masked in the error', async () => {
    const s = await messagingClinic('twilio');
    const phone = nextPhone();
    provider.invalidNumbers.add(phone);
    const { id } = await book(s, '2026-03-05T10:00:00Z', phone);
    await app.runScheduledJobs();
    const log = await messagesOf(s, id);
    expect(log.body.items[0]).toMatchObject({ status: 'failed', attempts: 1 });
    expect(log.body.items[0].lastError).toContain('21211');
    expect(log.text).not.toContain(phone.slice(1));
  });

  it('429 and 5xx are retried with backoff until the provider takes it', async () => {
    const s = await messagingClinic('telnyx');
    const { id, phone } = await book(s, '2026-03-05T11:00:00Z');
    const start = app.now();
    provider.failNext(429, 503);
    await app.runScheduledJobs();
    let [m] = (await messagesOf(s, id)).body.items;
    expect(m).toMatchObject({ status: 'queued', attempts: 1 });
    expect(m.lastError).toContain('Telnyx 429 10011');
    // Not before its backoff.
    await app.runScheduledJobs();
    expect(provider.attempts.filter((a) => a.to === phone)).toHaveLength(1);
    app.setNow(start + MINUTE);
    await app.runScheduledJobs();
    [m] = (await messagesOf(s, id)).body.items;
    expect(m).toMatchObject({ status: 'queued', attempts: 2 });
    app.setNow(start + 6 * MINUTE);
    await app.runScheduledJobs();
    [m] = (await messagesOf(s, id)).body.items;
    expect(m).toMatchObject({ status: 'sent', attempts: 3, lastError: null });
    expect(sentTo(phone)).toHaveLength(1);
    app.setNow(start);
  });

  it('a provider that keeps failing is tried five times, then the message is recorded as failed', async () => {
    const s = await messagingClinic('twilio');
    const { id, phone } = await book(s, '2026-03-05T12:00:00Z');
    const start = app.now();
    provider.failNext(500, 503, 500, 503, 500);
    for (const minutes of [0, 1, 6, 36, 156]) {
      app.setNow(start + minutes * MINUTE);
      await app.runScheduledJobs();
    }
    const [m] = (await messagesOf(s, id)).body.items;
    expect(m).toMatchObject({ status: 'failed', attempts: 5 });
    expect(m.lastError).toContain('Twilio 500');
    expect(provider.attempts.filter((a) => a.to === phone)).toHaveLength(5);
    app.setNow(start + 24 * 60 * MINUTE);
    await app.runScheduledJobs();
    expect(provider.attempts.filter((a) => a.to === phone)).toHaveLength(5);
    app.setNow(start);
  });
});

describe('reminders', () => {
  it('go reminderHours before, once, and are skipped when the appointment moves', async () => {
    const s = await messagingClinic('twilio', { confirmationSources: [], reminderHours: 24 });
    const start = app.now(); // Monday 09:00 in Lisbon
    const { id, phone } = await book(s, '2026-03-03T10:30:00Z');
    await app.runScheduledJobs();
    let log = (await messagesOf(s, id)).body.items;
    expect(log).toMatchObject([
      { kind: 'reminder', status: 'queued', scheduledFor: '2026-03-02T10:30:00+00:00' },
    ]);
    expect(sentTo(phone)).toEqual([]);
    app.setNow(Date.parse('2026-03-02T10:30:00Z'));
    await app.runScheduledJobs();
    await app.runScheduledJobs();
    expect(sentTo(phone)).toHaveLength(1);
    expect(sentTo(phone)[0]!.body).toContain('lembrete da sua consulta a 03/03/2026 às 10:30');
    app.setNow(start);

    // Moved before its reminder went: the old one is skipped, the new start gets its own.
    const other = await book(s, '2026-03-03T15:00:00Z');
    await app.runScheduledJobs();
    const moved = await app.request('PATCH', `/v1/appointments/${other.id}`, {
      key: s.key,
      body: { startsAt: '2026-03-03T16:00:00Z' },
    });
    expect(moved.status).toBe(200);
    app.setNow(Date.parse('2026-03-02T16:00:00Z'));
    await app.runScheduledJobs();
    await app.runScheduledJobs();
    log = (await messagesOf(s, other.id)).body.items;
    expect(log.map((m: any) => [m.kind, m.status, m.lastError]).sort()).toEqual([
      ['reminder', 'sent', null],
      ['reminder', 'skipped', 'Appointment moved or cancelled'],
      ['reschedule', 'sent', null],
    ]);
    const bodies = sentTo(other.phone).map((m) => m.body);
    expect(bodies).toHaveLength(2);
    expect(bodies.find((b) => b.includes('lembrete'))).toContain('às 16:00');
    expect(bodies.find((b) => b.includes('passou para'))).toContain('às 16:00');
    app.setNow(start);
  });

  it("never go inside the clinic's quiet hours", async () => {
    const s = await messagingClinic('twilio', {
      confirmationSources: [],
      reminderHours: 24,
      quietHours: { start: '21:00', end: '09:00' },
    });
    // 08:00 on Wednesday: 24 h before is 08:00 on Tuesday, inside quiet hours; it goes at 09:00.
    const { id } = await book(s, '2026-03-04T08:00:00Z');
    await app.runScheduledJobs();
    expect((await messagesOf(s, id)).body.items).toMatchObject([
      { scheduledFor: '2026-03-03T09:00:00+00:00' },
    ]);
    // 08:30 with quiet hours until 09:00 on the day: the evening before, just before they begin.
    const s2 = await messagingClinic('twilio', {
      confirmationSources: [],
      reminderHours: 2,
      quietHours: { start: '21:00', end: '09:00' },
    });
    const early = await book(s2, '2026-03-04T08:30:00Z');
    const start = app.now();
    app.setNow(Date.parse('2026-03-03T12:00:00Z'));
    await app.runScheduledJobs();
    expect((await messagesOf(s2, early.id)).body.items).toMatchObject([
      { scheduledFor: '2026-03-03T20:59:00+00:00' },
    ]);
    app.setNow(start);
  });
});

describe('replies', () => {
  it('STOP (PARAR) stops the next reminder; START lets them go again', async () => {
    const s = await messagingClinic('twilio', { confirmationSources: [], reminderHours: 24 });
    const start = app.now();
    const phone = nextPhone();
    const first = await book(s, '2026-03-03T11:00:00Z', phone);
    const stop = await twilioWebhook(s, {
      From: phone,
      To: SMS_FROM,
      Body: ' Parar ',
      MessageSid: `SM${'a'.repeat(32)}`,
      AccountSid: TWILIO_SID,
    });
    expect(stop.status).toBe(200);
    expect(stop.text).toContain('<Response/>');
    app.setNow(Date.parse('2026-03-02T11:00:00Z'));
    await app.runScheduledJobs();
    expect(sentTo(phone)).toEqual([]);
    expect((await messagesOf(s, first.id)).body.items).toMatchObject([
      { status: 'skipped', lastError: 'Patient opted out' },
    ]);
    // Opted out in this clinic only, and back in with START.
    const start2 = await twilioWebhook(s, {
      From: phone,
      To: SMS_FROM,
      Body: 'START',
      MessageSid: `SM${'b'.repeat(32)}`,
      AccountSid: TWILIO_SID,
    });
    expect(start2.status).toBe(200);
    app.setNow(start);
    const second = await book(s, '2026-03-03T14:00:00Z', phone);
    app.setNow(Date.parse('2026-03-02T14:00:00Z'));
    await app.runScheduledJobs();
    expect((await messagesOf(s, second.id)).body.items).toMatchObject([{ status: 'sent' }]);
    expect(sentTo(phone)).toHaveLength(1);
    app.setNow(start);
  });

  it('a Telnyx STOP is honoured too; an unsigned one changes nothing', async () => {
    const s = await messagingClinic('telnyx', { confirmationSources: ['manual'] });
    const phone = nextPhone();
    const unsigned = await app.request('POST', new URL(s.webhookUrl).pathname, {
      body: JSON.stringify({
        data: { event_type: 'message.received', payload: { from: { phone_number: phone }, text: 'STOP' } },
      }),
    });
    expect(unsigned.status).toBe(401);
    const stop = await telnyxWebhook(s, {
      event_type: 'message.received',
      payload: {
        id: crypto.randomUUID(),
        from: { phone_number: phone },
        to: [{ phone_number: SMS_FROM }],
        text: 'stop',
      },
    });
    expect(stop.status).toBe(200);
    const { id } = await book(s, '2026-03-06T10:00:00Z', phone);
    await app.runScheduledJobs();
    expect(sentTo(phone)).toEqual([]);
    expect((await messagesOf(s, id)).body.items).toMatchObject([
      { status: 'skipped', lastError: 'Patient opted out' },
    ]);
    const rows = await app.sql('SELECT phone_hash FROM message_consent');
    expect(JSON.stringify(rows)).not.toContain(phone.slice(1));
  });

  it('an unknown sender is a 404', async () => {
    const reply = await app.request('POST', '/v1/messaging/webhooks/snd_nope', { body: 'Body=STOP' });
    expect(reply.status).toBe(404);
  });
});

describe('privacy', () => {
  it('no patient number, in any format, in the message log, the service logs or any database column', async () => {
    expect(patients.size).toBeGreaterThan(10);
    const forms = [...patients].flatMap((p) => phoneForms(p, 'PT'));
    expect(answers.flatMap((text) => formsIn(text, forms))).toEqual([]);
    expect(logs.flatMap((line) => formsIn(line, forms))).toEqual([]);
    expect(await scanDatabaseRows((q) => app.sql(q), forms)).toEqual([]);
  });
});

describe('the sandbox', () => {
  it('never sends for a test key: the message shows what would have gone, the provider hears nothing', async () => {
    const live = await app.createClinic({ name: 'Clínica Sorriso' });
    const made = await app.createKey(live.tenantId, ['*'], { mode: 'test' });
    const sandbox = { ...live, key: made.key };
    const s = {
      clinic: sandbox,
      professional: await createProfessional(app, sandbox),
      service: await createService(app, sandbox),
    };
    const sender = await app.request('PUT', '/v1/messaging/senders/sms', {
      key: made.key,
      body: {
        provider: 'twilio',
        from: SMS_FROM,
        credentials: { accountSid: TWILIO_SID, authToken: TWILIO_TOKEN },
      },
    });
    expect(sender.status, sender.text).toBe(200);
    const saved = await app.request('PUT', '/v1/messaging/settings', {
      key: made.key,
      body: { enabled: true, channel: 'sms', confirmationSources: ['manual'], reminderHours: 0 },
    });
    expect(saved.status, saved.text).toBe(200);
    const { id, phone } = await book({ ...s, key: made.key, webhookUrl: '' }, '2026-03-05T10:00:00Z');
    await app.runScheduledJobs();
    expect(sentTo(phone)).toEqual([]);
    const log = await app.request('GET', '/v1/messages', { key: made.key, query: { appointmentId: id } });
    expect(log.body.items).toMatchObject([
      { kind: 'confirmation', status: 'skipped', lastError: 'Sandbox (test key): not sent', segments: 4 },
    ]);
    // The live clinic's log knows nothing of it.
    const liveLog = await app.request('GET', '/v1/messages', { key: live.key, query: { appointmentId: id } });
    expect(liveLog.body.items).toEqual([]);
  });
});
