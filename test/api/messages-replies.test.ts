// The patient answers a message: by its link (the page's API, opened from the very URL the provider
// was asked to send) or by replying SIM / C through the provider's signed inbound webhook. A reply
// acts on the number's next appointment that was messaged, records the confirmation channel
// (sms_reply, whatsapp_reply) and cancels through the core; an ambiguous word changes nothing.
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import { appointmentBody, nextPhone, setupClinic } from '../support/factories.js';
import {
  type MessageStandIn,
  messageStandIn,
  TWILIO_SID,
  TWILIO_TOKEN,
} from '../support/message-stand-ins.js';
import { formsIn, phoneForms } from '../support/phone-scan.js';
import type { TestApp } from '../support/types.js';

const BASE = 'https://agendai.example.com';
const FROM = '+351300000001';
let app: TestApp;
let provider: MessageStandIn;
const patients = new Set<string>();
const logs: string[] = [];
const answers: string[] = [];

beforeAll(async () => {
  provider = messageStandIn();
  app = await startTestApp({
    messageStandIn: provider.handler,
    publicBaseUrl: BASE,
    logSink: (l) => logs.push(l),
  });
});
afterAll(() => app.close());
afterEach(() => {
  expect(provider.contractErrors).toEqual([]);
});

type Setup = Awaited<ReturnType<typeof messagingClinic>>;

async function messagingClinic(channel: 'sms' | 'whatsapp' = 'sms', settings: Record<string, unknown> = {}) {
  const ids = await setupClinic(app, { name: 'Clinica Sorriso' });
  const key = ids.clinic.key;
  const sender = await app.request('PUT', `/v1/messaging/senders/${channel}`, {
    key,
    body: {
      provider: 'twilio',
      from: FROM,
      credentials: { accountSid: TWILIO_SID, authToken: TWILIO_TOKEN },
    },
  });
  expect(sender.status).toBe(200);
  const saved = await app.request('PUT', '/v1/messaging/settings', {
    key,
    body: {
      enabled: true,
      channel,
      confirmationSources: ['manual'],
      reminderHours: 0,
      language: 'pt-PT',
      ...settings,
    },
  });
  expect(saved.status).toBe(200);
  return { ...ids, key, webhookUrl: sender.body.webhookUrl as string };
}

async function book(s: Setup, startsAt: string, phone = nextPhone()) {
  patients.add(phone);
  const reply = await app.request('POST', '/v1/appointments', {
    key: s.key,
    body: appointmentBody(s, startsAt, { patientPhone: phone }),
  });
  expect(reply.status).toBe(201);
  return { id: reply.body.id as string, phone };
}

const appointment = async (s: Setup, id: string) => {
  const reply = await app.request('GET', `/v1/appointments/${id}`, { key: s.key });
  answers.push(reply.text);
  return reply.body;
};

let sids = 0;
async function reply(s: Setup, from: string, body: string, channel: 'sms' | 'whatsapp' = 'sms') {
  const fields = {
    From: channel === 'whatsapp' ? `whatsapp:${from}` : from,
    To: channel === 'whatsapp' ? `whatsapp:${FROM}` : FROM,
    Body: body,
    MessageSid: `SM${String(++sids).padStart(32, '0')}`,
    AccountSid: TWILIO_SID,
  };
  const signature = getExpectedTwilioSignature(TWILIO_TOKEN, s.webhookUrl, fields);
  const answer = await app.request('POST', new URL(s.webhookUrl).pathname, {
    body: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
  });
  expect(answer.status).toBe(200);
  answers.push(answer.text);
}

const sentTo = (phone: string) => provider.sent.filter((m) => m.to.endsWith(phone));

describe('the link in the message', () => {
  it('the confirmation carries the link; opening it and confirming records channel patient_link', async () => {
    const s = await messagingClinic();
    const { id, phone } = await book(s, '2026-03-04T10:00:00Z');
    await app.runScheduledJobs();
    const [sent] = sentTo(phone);
    const url = /https:\/\/agendai\.example\.com(\/a\/[\w-]{64})$/.exec(sent!.body);
    expect(url, sent!.body).not.toBeNull();
    const page = await app.request('GET', url![1]!);
    expect(page.status).toBe(200);
    expect(page.text).toContain('04/03/2026 10:00');
    answers.push(page.text);
    const confirmed = await app.request('POST', `${url![1]}/api/confirm`, {
      body: {},
      headers: { 'Idempotency-Key': 'click-1' },
    });
    expect(confirmed.status).toBe(200);
    expect((await appointment(s, id)).confirmation).toMatchObject({ channel: 'patient_link' });
  });

  it('the reminder carries it too, and a template without it (or with it) is accepted when it fits', async () => {
    const s = await messagingClinic('sms', { reminderHours: 24 });
    const { phone } = await book(s, '2026-03-03T15:00:00Z');
    app.setNow(Date.parse('2026-03-02T15:00:00Z'));
    try {
      await app.runScheduledJobs();
    } finally {
      app.setNow(Date.parse('2026-03-02T09:00:00Z'));
    }
    const reminder = sentTo(phone).find((m) => m.body.includes('lembrete'));
    expect(reminder?.body).toMatch(
      /Responda SIM para confirmar ou C para cancelar\.\nOu no link: https:\/\/agendai\.example\.com\/a\/[\w-]{64}\nPARAR para sair\.$/,
    );
    const custom = await app.request('PUT', '/v1/messaging/settings', {
      key: s.key,
      body: { enabled: true, templates: { reminder: { en: '{clinic} {date} {time}: {link}' } } },
    });
    expect(custom.status).toBe(200);
    const tooLong = await app.request('PUT', '/v1/messaging/settings', {
      key: s.key,
      body: { maxSegments: 1, templates: { reminder: { en: `${'x'.repeat(80)} {link}` } } },
    });
    expect(tooLong.status).toBe(422);
    expect(tooLong.text).toContain('Takes 2 GSM-7 segments');
  });
});

describe('replies', () => {
  it('SIM confirms the next messaged appointment with channel sms_reply; a retried webhook changes nothing', async () => {
    const s = await messagingClinic();
    const phone = nextPhone();
    const later = await book(s, '2026-03-06T10:00:00Z', phone);
    const next = await book(s, '2026-03-04T10:00:00Z', phone);
    await app.runScheduledJobs();
    await reply(s, phone, ' Sim, obrigada! ');
    const confirmed = await appointment(s, next.id);
    expect(confirmed.status).toBe('confirmed');
    expect(confirmed.confirmation).toMatchObject({ confirmedBy: 'reply:sms', channel: 'sms_reply' });
    expect((await appointment(s, later.id)).confirmation).toBeNull();
    await reply(s, phone, 'SIM');
    expect((await appointment(s, next.id)).confirmation).toEqual(confirmed.confirmation);
  });

  it('C cancels through the core (the slot books again); ambiguous words and unknown numbers change nothing', async () => {
    const s = await messagingClinic();
    const { id, phone } = await book(s, '2026-03-04T11:00:00Z');
    await app.runScheduledJobs();
    for (const text of [
      'Não',
      'NO',
      'não posso, cancelar?',
      'C ya voy',
      'Cancelar amanhã às 10 e marcar outra',
    ]) {
      await reply(s, phone, text);
    }
    await reply(s, nextPhone(), 'C');
    expect(await appointment(s, id)).toMatchObject({ status: 'confirmed', confirmation: null });
    await reply(s, phone, 'c');
    expect(await appointment(s, id)).toMatchObject({ status: 'cancelled' });
    const history = await app.request('GET', `/v1/appointments/${id}/history`, { key: s.key });
    expect(history.body.items.map((h: any) => h.actor)).toContain('reply:sms');
    await book(s, '2026-03-04T11:00:00Z');
  });

  it('only an appointment that was messaged: a booking whose confirmation never went is not touched', async () => {
    const s = await messagingClinic('sms', { confirmationSources: ['voice_ai'] });
    const { id, phone } = await book(s, '2026-03-04T12:00:00Z');
    await app.runScheduledJobs();
    expect(sentTo(phone)).toEqual([]);
    await reply(s, phone, 'CANCELAR');
    expect((await appointment(s, id)).status).toBe('confirmed');
  });

  it('a WhatsApp reply records channel whatsapp_reply', async () => {
    const s = await messagingClinic('whatsapp', { language: 'en' });
    const { id, phone } = await book(s, '2026-03-04T13:00:00Z');
    await app.runScheduledJobs();
    expect(sentTo(phone)).toHaveLength(1);
    await reply(s, phone, 'yes', 'whatsapp');
    expect((await appointment(s, id)).confirmation).toMatchObject({ channel: 'whatsapp_reply' });
  });

  it('no raw patient number in any answer or log line', () => {
    const forms = [...patients].flatMap((p) => phoneForms(p, 'PT'));
    expect(answers.flatMap((text) => formsIn(text, forms))).toEqual([]);
    expect(logs.flatMap((line) => formsIn(line, forms))).toEqual([]);
  });
});
