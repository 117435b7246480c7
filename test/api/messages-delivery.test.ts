// The guarantees of delivery to patients: a per-patient daily cap, crash safety (a message the
// provider may have taken is never sent blindly again), notices of night changes held until quiet
// hours end, fairness between clinics and between notices and reminders, and sending right after
// the write that queued a message.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import { HOUR, MINUTE } from '../../src/domain/time.js';
import { bookingClinic } from '../support/booking.js';
import { appointmentBody, nextPhone, setupClinic } from '../support/factories.js';
import {
  type MessageStandIn,
  messageStandIn,
  TWILIO_SID,
  TWILIO_TOKEN,
} from '../support/message-stand-ins.js';
import type { Clinic, TestApp } from '../support/types.js';

const SMS_FROM = '+351300000002';
let app: TestApp;
let provider: MessageStandIn;
/** The message rows' statuses when each request reached the provider. */
const statusAtSend: string[] = [];

beforeAll(async () => {
  provider = messageStandIn();
  app = await startTestApp({
    messageStandIn: async (request) => {
      const rows = await app.sql("SELECT status FROM messages WHERE status = 'sending'");
      statusAtSend.push(rows.length ? 'sending' : 'none');
      return provider.handler(request);
    },
    publicBaseUrl: 'https://agendai.example.com',
  });
});
afterAll(() => app.close());
afterEach(() => {
  expect(provider.contractErrors).toEqual([]);
});

async function turnOnMessages(a: TestApp, clinic: Clinic, settings: Record<string, unknown> = {}) {
  const sender = await a.request('PUT', '/v1/messaging/senders/sms', {
    key: clinic.key,
    body: {
      provider: 'twilio',
      from: SMS_FROM,
      credentials: { accountSid: TWILIO_SID, authToken: TWILIO_TOKEN },
    },
  });
  expect(sender.status, sender.text).toBe(200);
  const saved = await a.request('PUT', '/v1/messaging/settings', {
    key: clinic.key,
    body: { enabled: true, confirmationSources: ['manual'], reminderHours: 0, ...settings },
  });
  expect(saved.status, saved.text).toBe(200);
  return saved.body;
}

async function messagingClinic(settings: Record<string, unknown> = {}, a: TestApp = app) {
  const ids = await setupClinic(a, { name: 'Clínica Sorriso' });
  await turnOnMessages(a, ids.clinic, settings);
  return { ...ids, key: ids.clinic.key };
}

type Setup = Awaited<ReturnType<typeof messagingClinic>>;

async function book(s: Setup, startsAt: string, phone = nextPhone(), a: TestApp = app) {
  const reply = await a.request('POST', '/v1/appointments', {
    key: s.key,
    body: appointmentBody(s, startsAt, { patientPhone: phone }),
  });
  expect(reply.status, reply.text).toBe(201);
  return { id: reply.body.id as string, phone };
}

const messagesOf = async (s: Setup, appointmentId?: string, a: TestApp = app) => {
  const reply = await a.request('GET', '/v1/messages', { key: s.key, query: { appointmentId, limit: 100 } });
  expect(reply.status).toBe(200);
  return reply.body.items as any[];
};

const sentTo = (phone: string) => provider.sent.filter((m) => m.to.endsWith(phone));

/** Runs at `iso`, then puts the clock back. */
async function runAt(iso: string | number) {
  const before = app.now();
  app.setNow(typeof iso === 'number' ? iso : Date.parse(iso));
  try {
    return await app.runScheduledJobs();
  } finally {
    app.setNow(before);
  }
}

describe('the daily cap per patient', () => {
  it('is 5 unless the clinic says otherwise, and is validated', async () => {
    const { clinic } = await setupClinic(app);
    const read = await app.request('GET', '/v1/messaging/settings', { key: clinic.key });
    expect(read.body.dailyCapPerPatient).toBe(5);
    for (const bad of [0, 51, 2.5, '3']) {
      const reply = await app.request('PUT', '/v1/messaging/settings', {
        key: clinic.key,
        body: { dailyCapPerPatient: bad },
      });
      expect(reply.status).toBe(422);
      expect(reply.body.errors[0].path).toBe('dailyCapPerPatient');
    }
  });

  it("skips what goes beyond the cap on the clinic's day, never sends it, and counts afresh the next day", async () => {
    const s = await messagingClinic({ dailyCapPerPatient: 2 });
    const phone = nextPhone();
    const other = nextPhone();
    const ids: string[] = [];
    for (const startsAt of ['2026-03-10T10:00:00Z', '2026-03-10T11:00:00Z', '2026-03-10T12:00:00Z'])
      ids.push((await book(s, startsAt, phone)).id);
    await book(s, '2026-03-10T13:00:00Z', other);
    await app.runScheduledJobs();
    expect(sentTo(phone)).toHaveLength(2);
    expect(sentTo(other)).toHaveLength(1);
    const all = (await messagesOf(s)).filter((m) => ids.includes(m.appointmentId));
    expect(all.map((m) => m.status).sort()).toEqual(['sent', 'sent', 'skipped']);
    const capped = all.find((m) => m.status === 'skipped');
    expect(capped).toMatchObject({
      lastError: 'Daily cap reached (2 messages to this patient today)',
      attempts: 0,
      to: expect.stringMatching(/•/),
    });
    // The same day, later: still capped.
    const later = await book(s, '2026-03-11T10:00:00Z', phone);
    await runAt('2026-03-02T20:30:00Z');
    expect(sentTo(phone)).toHaveLength(2);
    expect((await messagesOf(s, later.id))[0]).toMatchObject({ status: 'skipped' });
    // The clinic's next day (Lisbon): room again.
    app.setNow(Date.parse('2026-03-03T09:30:00Z'));
    try {
      const next = await book(s, '2026-03-11T11:00:00Z', phone);
      await app.runScheduledJobs();
      expect((await messagesOf(s, next.id))[0]).toMatchObject({ status: 'sent' });
    } finally {
      app.setNow(Date.parse('2026-03-02T09:00:00Z'));
    }
    expect(sentTo(phone)).toHaveLength(3);
  });

  it('a message the provider refused does not count; one it may have taken does', async () => {
    const s = await messagingClinic({ dailyCapPerPatient: 1 });
    const phone = nextPhone();
    provider.failNext('invalid_number');
    const first = await book(s, '2026-03-12T10:00:00Z', phone);
    await app.runScheduledJobs();
    expect((await messagesOf(s, first.id))[0]).toMatchObject({ status: 'failed' });
    const second = await book(s, '2026-03-12T11:00:00Z', phone);
    await app.runScheduledJobs();
    expect((await messagesOf(s, second.id))[0]).toMatchObject({ status: 'sent' });
    expect(sentTo(phone)).toHaveLength(1);
  });
});

describe('crash safety', () => {
  it('a message is marked sending before the provider hears of it', async () => {
    const s = await messagingClinic();
    const { id } = await book(s, '2026-03-13T10:00:00Z');
    statusAtSend.length = 0;
    await app.runScheduledJobs();
    expect(statusAtSend).toEqual(['sending']);
    expect((await messagesOf(s, id))[0]).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('one left sending when its runner died is recorded unknown once the lease is out, and never sent again', async () => {
    const s = await messagingClinic();
    const { id, phone } = await book(s, '2026-03-13T11:00:00Z');
    // As a runner leaves it when the process dies between the provider's acceptance and the record.
    const now = app.now();
    await app.exec(
      `UPDATE messages SET status = 'sending', attempts = 1, sent_at = ${now}, next_attempt_at = ${now + 60_000} WHERE appointment_id = '${id}'`,
    );
    // While the lease runs, nobody touches it.
    let report = await app.runScheduledJobs();
    expect(report.messages.unknown).toBe(0);
    expect((await messagesOf(s, id))[0]).toMatchObject({ status: 'sending' });
    report = await runAt(now + 61_000);
    expect(report.messages.unknown).toBe(1);
    const [m] = await messagesOf(s, id);
    expect(m).toMatchObject({ status: 'unknown', attempts: 1 });
    expect(m.lastError).toContain('not sent again');
    await runAt(now + HOUR);
    expect(sentTo(phone)).toEqual([]);
    expect((await messagesOf(s, id))[0].status).toBe('unknown');
  });

  it('a provider that keeps failing is retried with backoff, then failed at the attempt cap', async () => {
    const s = await messagingClinic();
    const { id, phone } = await book(s, '2026-03-13T12:00:00Z');
    const start = app.now();
    provider.failNext(503, 503, 503, 503, 503);
    for (const minutes of [0, 1, 6, 36, 156, 24 * 60]) await runAt(start + minutes * MINUTE);
    expect((await messagesOf(s, id))[0]).toMatchObject({ status: 'failed', attempts: 5 });
    expect(provider.attempts.filter((a) => a.to === phone)).toHaveLength(5);
  });
});

describe('notices of changes made in quiet hours', () => {
  const night = '2026-03-02T23:00:00Z'; // Monday 23:00 in Lisbon; quiet 21:00-09:00

  it('a cancellation or a staff booking at night waits for 09:00; a visit before then hears at once', async () => {
    const s = await messagingClinic({ quietHours: { start: '21:00', end: '09:00' } });
    const a = await book(s, '2026-03-04T10:00:00Z');
    await app.runScheduledJobs();
    app.setNow(Date.parse(night));
    try {
      const cancelled = await app.request('POST', `/v1/appointments/${a.id}/cancel`, {
        key: s.key,
        body: {},
      });
      expect(cancelled.status, cancelled.text).toBe(200);
      const booked = await book(s, '2026-03-04T11:00:00Z');
      // Tomorrow 08:30, before quiet hours end: told now, or they would come in vain.
      const early = await book(s, '2026-03-03T08:30:00Z');
      await app.runScheduledJobs();
      const notice = (await messagesOf(s, a.id)).find((m) => m.kind === 'cancellation');
      expect(notice).toMatchObject({ status: 'queued', scheduledFor: '2026-03-03T09:00:00+00:00' });
      expect((await messagesOf(s, booked.id))[0]).toMatchObject({
        status: 'queued',
        scheduledFor: '2026-03-03T09:00:00+00:00',
      });
      expect((await messagesOf(s, early.id))[0]).toMatchObject({ status: 'sent' });
      expect(sentTo(booked.phone)).toEqual([]);
    } finally {
      app.setNow(Date.parse('2026-03-02T09:00:00Z'));
    }
    await runAt('2026-03-03T09:00:00Z');
    expect(sentTo(a.phone).map((m) => m.body)).toEqual([
      expect.stringContaining('marcada'),
      expect.stringContaining('cancelada'),
    ]);
  });

  it('the confirmation of a booking the patient makes at night (the booking page) goes at once', async () => {
    const b = await bookingClinic(app);
    await turnOnMessages(app, b.clinic, {
      confirmationSources: ['self_service'],
      quietHours: { start: '21:00', end: '09:00' },
    });
    app.setNow(Date.parse(night));
    try {
      const phone = nextPhone();
      const reply = await app.request('POST', `/booking/${b.slug}/api/appointments`, {
        body: {
          serviceTypeId: b.consulta.id,
          startsAt: '2026-03-04T10:00:00+00:00',
          patientName: 'Maria Silva',
          patientPhone: phone,
        },
        headers: { 'Idempotency-Key': crypto.randomUUID() },
      });
      expect(reply.status, reply.text).toBe(201);
      await app.runScheduledJobs();
      expect(sentTo(phone)).toHaveLength(1);
    } finally {
      app.setNow(Date.parse('2026-03-02T09:00:00Z'));
    }
  });
});

describe('fairness', () => {
  it("one clinic's backlog of reminders neither holds up another clinic nor its own new confirmation", async () => {
    const busy = await messagingClinic({ dailyCapPerPatient: 50 });
    const quiet = await messagingClinic();
    const visit = await book(busy, '2026-03-16T10:00:00Z');
    await app.runScheduledJobs();
    // 120 reminders due an hour ago (more than two runs' worth), as a reminder backlog would be.
    const hourAgo = app.now() - HOUR;
    await app.exec(
      `INSERT INTO messages (id, tenant_id, appointment_id, kind, dedupe_key, status, attempts, next_attempt_at, expires_at, created_at, updated_at)
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 120)
      SELECT 'msg_backlog_' || i, '${busy.clinic.tenantId}', '${visit.id}', 'reminder', 'backlog:' || i, 'queued', 0, ${hourAgo}, 0, ${hourAgo}, ${hourAgo} FROM n`,
      busy.clinic.tenantId,
    );
    const theirs = await book(quiet, '2026-03-16T11:00:00Z');
    const ours = await book(busy, '2026-03-16T12:00:00Z');
    const report = await app.runScheduledJobs();
    expect((await messagesOf(quiet, theirs.id))[0]).toMatchObject({ status: 'sent' });
    expect((await messagesOf(busy, ours.id))[0]).toMatchObject({ status: 'sent' });
    // The backlog is still worked through, a bounded batch per run.
    expect(report.messages.skipped).toBeGreaterThan(0);
    const left = await app.sql(
      `SELECT count(*) AS n FROM messages WHERE tenant_id = ? AND status = 'queued'`,
      busy.clinic.tenantId,
    );
    expect(Number(left[0]!.n)).toBeGreaterThan(0);
  });

  it("reminders of another clinic's many appointments, not due yet, do not starve a clinic's due reminder", async () => {
    const busy = await messagingClinic({ confirmationSources: [], reminderHours: 1 });
    const other = await messagingClinic({ confirmationSources: [], reminderHours: 168 });
    const model = await book(busy, '2026-03-04T10:00:00Z');
    // 600 more appointments of the busy clinic between 2 and 7 days ahead: none needs its 1 h reminder yet.
    const columns = (await app.sql('SELECT name FROM pragma_table_info(?)', 'appointments')).map(
      (c) => c.name as string,
    );
    const value = (c: string) =>
      c === 'id'
        ? `'${model.id.slice(0, 20)}' || printf('%06d', i)`
        : c === 'starts_at'
          ? `starts_at + i * 600000`
          : c === 'ends_at'
            ? `ends_at + i * 600000`
            : c === 'blocks_until'
              ? `blocks_until + i * 600000`
              : c === 'external_id'
                ? 'NULL'
                : c;
    await app.exec(
      `INSERT INTO appointments (${columns.join(', ')})
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 600)
      SELECT ${columns.map(value).join(', ')} FROM appointments, n WHERE id = '${model.id}'`,
      busy.clinic.tenantId,
    );
    // Six days ahead: its 168 h reminder is due now.
    const due = await book(other, '2026-03-08T10:00:00Z');
    await app.runScheduledJobs();
    expect((await messagesOf(other, due.id)).map((m) => m.kind)).toEqual(['reminder']);
  });
});

describe("the patient's data", () => {
  const DAY = 24 * HOUR;

  /** A patient with one message sent and one still queued (no run since its booking). */
  async function patientWithMessages() {
    const s = await messagingClinic({ confirmationSources: ['manual'] });
    const phone = nextPhone();
    const sent = await book(s, '2026-03-17T10:00:00Z', phone);
    await app.runScheduledJobs();
    const waiting = await book(s, '2026-03-17T11:00:00Z', phone);
    const hash = (await app.request('GET', `/v1/appointments/${sent.id}`, { key: s.key })).body
      .patientPhoneHash as string;
    const keys = (await app.createKey(s.clinic.tenantId, ['patients:export', 'patients:erase'])).key;
    return { s, phone, sent, waiting, hash, keys };
  }

  it('the export lists the messages sent to the patient, masked and without their text', async () => {
    const p = await patientWithMessages();
    const reply = await app.request('GET', `/v1/patients/${encodeURIComponent(p.hash)}/export`, {
      key: p.keys,
    });
    expect(reply.status, reply.text).toBe(200);
    const byStatus = [...reply.body.messages].sort((a: any, b: any) => a.status.localeCompare(b.status));
    expect(byStatus).toMatchObject([
      { appointmentId: p.waiting.id, kind: 'confirmation', status: 'queued', to: null },
      {
        appointmentId: p.sent.id,
        kind: 'confirmation',
        status: 'sent',
        channel: 'sms',
        provider: 'twilio',
        to: `+351 ••• ••• ${p.phone.slice(-3)}`,
        attempts: 1,
        sentAt: '2026-03-02T09:00:00+00:00',
      },
    ]);
    expect(reply.text).not.toContain(p.phone.slice(4));
    expect(reply.text).not.toContain('Maria Silva, a sua consulta');
  });

  it('erasure leaves what happened but not to whom, skips what was waiting, and keeps a STOP', async () => {
    const p = await patientWithMessages();
    await app.exec(
      `INSERT INTO message_consent (tenant_id, phone_hash, opted_out, keyword, changed_at) VALUES ('${p.s.clinic.tenantId}', '${p.hash}', 1, 'STOP', ${app.now()})`,
      p.s.clinic.tenantId,
    );
    const erased = await app.request('POST', `/v1/patients/${encodeURIComponent(p.hash)}/erase`, {
      key: p.keys,
      body: {},
    });
    expect(erased.status, erased.text).toBe(200);
    const rows = await app.sql(
      'SELECT status, phone_hash AS hash, to_masked AS masked, last_error AS error FROM messages WHERE tenant_id = ? ORDER BY status',
      p.s.clinic.tenantId,
    );
    expect(rows).toEqual([
      { status: 'sent', hash: null, masked: null, error: null },
      { status: 'skipped', hash: null, masked: null, error: "Patient's number erased" },
    ]);
    expect(
      await app.sql('SELECT opted_out AS out FROM message_consent WHERE phone_hash = ?', p.hash),
    ).toEqual([{ out: 1 }]);
    await app.runScheduledJobs();
    expect(sentTo(p.phone)).toHaveLength(1);
  });

  it('after callRetentionDays messages forget whom they went to, like calls', async () => {
    const p = await patientWithMessages();
    await app.runScheduledJobs();
    const start = app.now();
    const masked = () =>
      app.sql(
        'SELECT phone_hash AS hash, to_masked AS masked FROM messages WHERE tenant_id = ? AND status = ?',
        p.s.clinic.tenantId,
        'sent',
      );
    await runAt(start + 89 * DAY);
    expect((await masked()).every((r) => r.hash !== null && r.masked !== null)).toBe(true);
    await runAt(start + 91 * DAY);
    expect(await masked()).toEqual([
      { hash: null, masked: null },
      { hash: null, masked: null },
    ]);
  });
});

describe('racing runners', () => {
  it('two timed runs at once queue each reminder once and send it once', async () => {
    // 48 hours before visits tomorrow: every reminder is due now.
    const s = await messagingClinic({ confirmationSources: [], reminderHours: 48 });
    const visits = await Promise.all(
      ['09:00', '10:00', '11:00', '12:00'].map((t) => book(s, `2026-03-03T${t}:00Z`)),
    );
    const reports = await Promise.all([app.runScheduledJobs(), app.runScheduledJobs()]);
    await app.runScheduledJobs();
    expect(reports.reduce((n, r) => n + r.remindersQueued, 0)).toBe(visits.length);
    for (const v of visits) {
      expect(provider.sent.filter((m) => m.to === v.phone)).toHaveLength(1);
      expect((await messagesOf(s, v.id)).map((m) => [m.kind, m.status])).toEqual([['reminder', 'sent']]);
    }
  });
});

describe('right after the write', () => {
  let live: TestApp;
  const liveProvider = messageStandIn();
  beforeAll(async () => {
    live = await startTestApp({ messageStandIn: liveProvider.handler, sendMessagesAfterWrites: true });
  });
  afterAll(() => live.close());

  it('a confirmation goes without waiting for the timed run', async () => {
    const s = await messagingClinic({}, live);
    const { id, phone } = await book(s, '2026-03-05T10:00:00Z', nextPhone(), live);
    const deadline = Date.now() + 5_000;
    while (!liveProvider.sent.some((m) => m.to === phone) && Date.now() < deadline)
      await new Promise((done) => setTimeout(done, 20));
    expect(liveProvider.sent.filter((m) => m.to === phone)).toHaveLength(1);
    for (let i = 0; i < 50 && (await messagesOf(s, id, live))[0].status !== 'sent'; i++)
      await new Promise((done) => setTimeout(done, 20));
    expect((await messagesOf(s, id, live))[0]).toMatchObject({ status: 'sent', attempts: 1 });
    // The timed run finds nothing left to send.
    const report = await live.runScheduledJobs();
    expect(report.messages.sent).toBe(0);
    expect(liveProvider.sent.filter((m) => m.to === phone)).toHaveLength(1);
    expect(liveProvider.contractErrors).toEqual([]);
  });
});
