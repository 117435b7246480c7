// Messages to patients, configured through the API: settings, templates and their segment counts,
// senders with sealed credentials, and messages queued in the change's own atomic unit (on SQLite
// and in a clinic's Durable Object). Sending through the providers: messages-sending.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import { appointmentBody, nextPhone, setupClinic } from '../support/factories.js';
import { TELNYX_KEY, TWILIO_SID, TWILIO_TOKEN } from '../support/message-stand-ins.js';
import type { Clinic, TestApp } from '../support/types.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const twilioSender = {
  provider: 'twilio',
  from: '+351300000001',
  credentials: { accountSid: TWILIO_SID, authToken: TWILIO_TOKEN },
};

async function messagesOf(clinic: Clinic, appointmentId?: string) {
  const reply = await app.request('GET', '/v1/messages', { key: clinic.key, query: { appointmentId } });
  expect(reply.status).toBe(200);
  return reply.body.items as { kind: string; status: string; appointmentId: string }[];
}

describe('/v1/messaging/settings', () => {
  it('starts off with the documented defaults and saves a replacement', async () => {
    const clinic = await app.createClinic();
    const initial = await app.request('GET', '/v1/messaging/settings', { key: clinic.key });
    expect(initial.status).toBe(200);
    expect(initial.body).toMatchObject({
      enabled: false,
      channel: 'sms',
      reminderHours: 24,
      quietHours: { start: '21:00', end: '09:00' },
      confirmationSources: ['voice_ai', 'self_service'],
    });
    const saved = await app.request('PUT', '/v1/messaging/settings', {
      key: clinic.key,
      body: {
        enabled: true,
        reminderHours: 48,
        language: 'es',
        templates: { reminder: { es: 'Hola {patient}, {date} {time}' } },
      },
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({
      enabled: true,
      reminderHours: 48,
      language: 'es',
      cancellationNotice: true,
    });
    const read = await app.request('GET', '/v1/messaging/settings', { key: clinic.key });
    expect(read.body).toEqual(saved.body);
  });

  it.each([
    [{ templates: { reminder: { en: 'Hi {name}' } } }, 'Unknown placeholders: name'],
    [
      { maxSegments: 1, templates: { reminder: { en: `${'x'.repeat(150)} {clinic}` } } },
      'Takes 2 GSM-7 segments',
    ],
    [
      { maxSegments: 1, templates: { reminder: { en: `Olá ${'ã'.repeat(40)} {clinic}` } } },
      'Takes 2 UCS-2 segments',
    ],
    [{ reminderHours: 200 }, 'reminderHours'],
    [{ quietHours: { start: '25:00', end: '08:00' } }, 'quietHours'],
    [{ confirmationSources: ['fax'] }, 'confirmationSources'],
    [{ templates: { reminder: { fr: 'Bonjour' } } }, 'templates'],
  ] as [Record<string, unknown>, string][])('422 for %j', async (body, why) => {
    const clinic = await app.createClinic();
    const reply = await app.request('PUT', '/v1/messaging/settings', { key: clinic.key, body });
    expect(reply.status).toBe(422);
    expect(reply.body.error).toBe('validation_failed');
    expect(reply.text).toContain(why);
    expect((await app.request('GET', '/v1/messaging/settings', { key: clinic.key })).body.enabled).toBe(
      false,
    );
  });

  it('lists every template in effect with its encoding and segment count', async () => {
    const clinic = await app.createClinic();
    await app.request('PUT', '/v1/messaging/settings', {
      key: clinic.key,
      body: { templates: { confirmation: { en: 'Booked {date} {time}' } } },
    });
    const reply = await app.request('GET', '/v1/messaging/templates', { key: clinic.key });
    expect(reply.status).toBe(200);
    // Six kinds (confirmation, cancellation, reschedule, reminder, triage, feedback) in four languages.
    expect(reply.body.items).toHaveLength(24);
    const en = reply.body.items.find((t: any) => t.kind === 'confirmation' && t.language === 'en');
    expect(en).toEqual({
      kind: 'confirmation',
      language: 'en',
      text: 'Booked {date} {time}',
      custom: true,
      encoding: 'GSM-7',
      segments: 1,
    });
    const pt = reply.body.items.find((t: any) => t.kind === 'reminder' && t.language === 'pt-PT');
    // The defaults keep to GSM-7 so the link fits: pt-PT's reminder says PARAR para sair, not não receber.
    expect(pt).toMatchObject({ custom: false, encoding: 'GSM-7' });
    for (const t of reply.body.items) expect(t.segments).toBeLessThanOrEqual(3);
  });
});

describe('/v1/messaging/senders', () => {
  it('keeps credentials sealed: never shown, never stored in clear', async () => {
    const clinic = await app.createClinic();
    const put = await app.request('PUT', '/v1/messaging/senders/sms', {
      key: clinic.key,
      body: twilioSender,
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ channel: 'sms', provider: 'twilio', from: '+351300000001' });
    expect(put.body.webhookUrl).toMatch(new RegExp(`/v1/messaging/webhooks/${put.body.id}$`));
    expect(put.text).not.toContain(TWILIO_TOKEN);
    const list = await app.request('GET', '/v1/messaging/senders', { key: clinic.key });
    expect(list.body.items).toHaveLength(1);
    expect(list.text).not.toContain(TWILIO_TOKEN);
    const rows = await app.sql(
      'SELECT credentials_encrypted FROM message_senders WHERE tenant_id = ?',
      clinic.tenantId,
    );
    expect(JSON.stringify(rows)).not.toContain(TWILIO_TOKEN);
    // Replacing the sender keeps its id (and so its webhook URL).
    const replaced = await app.request('PUT', '/v1/messaging/senders/sms', {
      key: clinic.key,
      body: {
        provider: 'telnyx',
        from: '+351300000002',
        credentials: { apiKey: TELNYX_KEY, publicKey: `${'A'.repeat(43)}=` },
      },
    });
    expect(replaced.body).toMatchObject({ id: put.body.id, provider: 'telnyx', from: '+351300000002' });
    expect((await app.request('DELETE', '/v1/messaging/senders/sms', { key: clinic.key })).status).toBe(204);
    expect((await app.request('DELETE', '/v1/messaging/senders/sms', { key: clinic.key })).status).toBe(404);
  });

  it.each([
    [
      'sms',
      { ...twilioSender, credentials: { accountSid: 'nope', authToken: TWILIO_TOKEN } },
      'credentials.accountSid',
    ],
    ['sms', { ...twilioSender, credentials: { accountSid: TWILIO_SID } }, 'credentials.authToken'],
    [
      'whatsapp',
      {
        provider: 'telnyx',
        from: '+351300000001',
        credentials: { apiKey: TELNYX_KEY, publicKey: 'A'.repeat(44) },
      },
      'WhatsApp',
    ],
    ['sms', { ...twilioSender, from: '912345678' }, 'from'],
    ['fax', twilioSender, 'channel'],
  ] as [string, Record<string, unknown>, string][])(
    '422 for a %s sender (%#)',
    async (channel, body, why) => {
      const clinic = await app.createClinic();
      const reply = await app.request('PUT', `/v1/messaging/senders/${channel}`, { key: clinic.key, body });
      expect(reply.status).toBe(422);
      expect(reply.text).toContain(why);
      expect(reply.text).not.toContain(TWILIO_TOKEN);
    },
  );
});

describe('messages queued with the change', () => {
  it('queues nothing while messages are off', async () => {
    const ids = await setupClinic(app);
    const booked = await app.request('POST', '/v1/appointments', {
      key: ids.clinic.key,
      body: appointmentBody(ids, '2026-03-04T10:00:00Z', { patientPhone: nextPhone() }),
    });
    expect(booked.status).toBe(201);
    expect(await messagesOf(ids.clinic)).toEqual([]);
  });

  it('confirms bookings through the doors the clinic chose, and notices a reschedule and a cancellation', async () => {
    const ids = await setupClinic(app);
    const key = ids.clinic.key;
    await app.request('PUT', '/v1/messaging/settings', { key, body: { enabled: true } });
    // A REST booking is `manual`: not among the default doors (voice and the booking page).
    const manual = await app.request('POST', '/v1/appointments', {
      key,
      body: appointmentBody(ids, '2026-03-04T10:00:00Z', { patientPhone: nextPhone() }),
    });
    expect(await messagesOf(ids.clinic, manual.body.id)).toEqual([]);
    await app.request('PUT', '/v1/messaging/settings', {
      key,
      body: { enabled: true, confirmationSources: ['manual'] },
    });
    const booked = await app.request('POST', '/v1/appointments', {
      key,
      body: appointmentBody(ids, '2026-03-04T11:00:00Z', { patientPhone: nextPhone() }),
    });
    const id = booked.body.id;
    expect(await messagesOf(ids.clinic, id)).toMatchObject([{ kind: 'confirmation', status: 'queued' }]);
    const moved = await app.request('PATCH', `/v1/appointments/${id}`, {
      key,
      body: { startsAt: '2026-03-04T12:00:00Z' },
    });
    expect(moved.status).toBe(200);
    const cancelled = await app.request('DELETE', `/v1/appointments/${id}`, { key });
    expect(cancelled.status).toBeLessThan(300);
    expect((await messagesOf(ids.clinic, id)).map((m) => m.kind).sort()).toEqual([
      'cancellation',
      'confirmation',
      'reschedule',
    ]);
    // A repeated cancel changes nothing, so it queues nothing either.
    await app.request('DELETE', `/v1/appointments/${id}`, { key });
    expect(await messagesOf(ids.clinic, id)).toHaveLength(3);
  });

  it('queues nothing for a booking that was refused, and once for a replayed one', async () => {
    const ids = await setupClinic(app);
    const key = ids.clinic.key;
    await app.request('PUT', '/v1/messaging/settings', {
      key,
      body: { enabled: true, confirmationSources: ['manual'] },
    });
    const body = appointmentBody(ids, '2026-03-05T10:00:00Z', { patientPhone: nextPhone() });
    const headers = { 'Idempotency-Key': `k-${crypto.randomUUID()}` };
    const first = await app.request('POST', '/v1/appointments', { key, body, headers });
    const replay = await app.request('POST', '/v1/appointments', { key, body, headers });
    expect(replay.text).toBe(first.text);
    const taken = await app.request('POST', '/v1/appointments', {
      key,
      body: { ...body, patientPhone: nextPhone() },
    });
    expect(taken.status).toBe(409);
    expect(await messagesOf(ids.clinic)).toHaveLength(1);
  });

  it("never shows another clinic's messages", async () => {
    const ids = await setupClinic(app);
    await app.request('PUT', '/v1/messaging/settings', {
      key: ids.clinic.key,
      body: { enabled: true, confirmationSources: ['manual'] },
    });
    const booked = await app.request('POST', '/v1/appointments', {
      key: ids.clinic.key,
      body: appointmentBody(ids, '2026-03-06T10:00:00Z', { patientPhone: nextPhone() }),
    });
    const other = await app.createClinic();
    expect(await messagesOf(other)).toEqual([]);
    expect(await messagesOf(other, booked.body.id)).toEqual([]);
  });
});
