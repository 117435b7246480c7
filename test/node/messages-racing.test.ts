// Messages go once however many runners race for them: two services on one SQLite database (two
// connections in this process, then two OS processes on their own timers), every runner running
// the timed jobs at once, against a Twilio stand-in that answers slowly so that runs overlap.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { type NodeService, startNodeService } from '../../src/node/server.js';
import { randomBytes, toBase64Url } from '../../src/security/encoding.js';
import { runTimedJobs } from '../../src/timed-jobs.js';
import { adminOperations } from '../support/admin.js';
import { DEFAULT_NOW, UNLIMITED } from '../support/http.js';
import { messageStandIn, TWILIO_SID, TWILIO_TOKEN } from '../support/message-stand-ins.js';
import { type ServiceProcess, secretsEnv, startServiceProcess } from '../support/service-process.js';
import { restCall, serveStandIn } from '../support/stand-in-server.js';

const provider = messageStandIn();
let standInUrl: string;
let closeStandIn: () => Promise<void>;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'agendai-racing-'));
  // Slow answers: a runner is still waiting on the provider while the others look for due work.
  const standIn = await serveStandIn(async (request) => {
    await new Promise((done) => setTimeout(done, 20));
    return provider.handler(request);
  });
  standInUrl = standIn.url;
  closeStandIn = standIn.close;
});
afterAll(async () => {
  await closeStandIn();
  rmSync(dir, { recursive: true, force: true });
});

/** A clinic sending SMS confirmations of REST bookings through the Twilio stand-in. */
async function clinicWithMessages(base: string, key: string, settings: Record<string, unknown> = {}) {
  await restCall(base, key, 'PUT', '/v1/messaging/senders/sms', {
    provider: 'twilio',
    from: '+351300000009',
    credentials: { accountSid: TWILIO_SID, authToken: TWILIO_TOKEN },
  });
  await restCall(base, key, 'PUT', '/v1/messaging/settings', {
    enabled: true,
    confirmationSources: ['manual'],
    reminderHours: 0,
    ...settings,
  });
  const professional = await restCall(base, key, 'POST', '/v1/professionals', { name: 'Dr. Rui Lopes' });
  const service = await restCall(base, key, 'POST', '/v1/services', {
    name: 'Consulta',
    durationMinutes: 30,
  });
  return { professional, service };
}

const phoneOf = (series: number, i: number) => `+3519${series}${String(1000000 + i).slice(-7)}`;

async function bookMany(
  base: string,
  key: string,
  ids: { professional: any; service: any },
  firstStart: number,
  series: number,
  count: number,
) {
  for (let i = 0; i < count; i++) {
    await restCall(base, key, 'POST', '/v1/appointments', {
      professionalId: ids.professional.id,
      serviceTypeId: ids.service.id,
      patientName: 'Maria Silva',
      patientPhone: phoneOf(series, i),
      startsAt: new Date(firstStart + i * 30 * 60_000).toISOString(),
    });
  }
}

const sendsTo = (phone: string) => provider.attempts.filter((a) => a.to === phone).length;

describe('racing runners', () => {
  let a: NodeService;
  let b: NodeService;
  beforeAll(async () => {
    const databasePath = join(dir, 'shared.db');
    const secrets = {
      PHONE_HASH_KEY: { version: 1, secret: toBase64Url(randomBytes(32)) },
      PHONE_ENCRYPTION_KEY: { version: 1, secret: toBase64Url(randomBytes(32)) },
    };
    const options = {
      databasePath,
      secrets,
      logger: silentLogger,
      clock: { now: () => DEFAULT_NOW },
      port: 0,
      schedulerIntervalMs: 0,
      rateLimits: UNLIMITED,
      platformApiBaseUrls: { twilio: standInUrl },
      // Only the runs below send, so their reports add up to every message.
      sendMessagesAfterWrites: false,
    };
    a = await startNodeService(options);
    b = await startNodeService(options);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  const race = (now: number) =>
    Promise.all([
      runTimedJobs(a.deps, now),
      runTimedJobs(b.deps, now),
      runTimedJobs(a.deps, now),
      runTimedJobs(b.deps, now),
    ]);

  it('two services on one database, four runs at once: every message sent exactly once', async () => {
    const clinic = await adminOperations(a.deps.store.db, () => DEFAULT_NOW).createClinic();
    const ids = await clinicWithMessages(a.url, clinic.key);
    // Wednesday 4 March 2026 from 09:00 in Lisbon.
    await bookMany(a.url, clinic.key, ids, Date.parse('2026-03-04T09:00:00Z'), 1, 16);

    const reports = await race(DEFAULT_NOW);
    expect(reports.reduce((n, r) => n + r.messages.sent, 0)).toBe(16);
    // Both services did some of the sending (the race was real), and no message went twice.
    expect(reports.filter((r) => r.messages.sent > 0).length).toBeGreaterThan(1);
    for (let i = 0; i < 16; i++) expect(sendsTo(phoneOf(1, i)), phoneOf(1, i)).toBe(1);
    const rows = a.deps.store.sqlite
      .prepare('SELECT status, attempts FROM messages WHERE tenant_id = ?')
      .all(clinic.tenantId);
    expect(rows).toHaveLength(16);
    expect(rows.every((r: any) => r.status === 'sent' && r.attempts === 1)).toBe(true);
  });

  it('reminders: queued once and sent once by four racing runs', async () => {
    const clinic = await adminOperations(a.deps.store.db, () => DEFAULT_NOW).createClinic();
    const ids = await clinicWithMessages(a.url, clinic.key, { confirmationSources: [], reminderHours: 24 });
    // Tuesday 3 March from 10:00: the 24 h reminders are due on Monday from 10:00 (after quiet hours).
    await bookMany(a.url, clinic.key, ids, Date.parse('2026-03-03T10:00:00Z'), 3, 12);
    const reports = await race(Date.parse('2026-03-02T16:00:00Z'));
    expect(reports.reduce((n, r) => n + r.remindersQueued, 0)).toBeGreaterThanOrEqual(12);
    expect(reports.reduce((n, r) => n + r.messages.sent, 0)).toBe(12);
    for (let i = 0; i < 12; i++) expect(sendsTo(phoneOf(3, i)), phoneOf(3, i)).toBe(1);
    const rows = a.deps.store.sqlite
      .prepare('SELECT kind, status FROM messages WHERE tenant_id = ?')
      .all(clinic.tenantId) as { kind: string; status: string }[];
    expect(rows).toHaveLength(12);
    expect(rows.every((r) => r.kind === 'reminder' && r.status === 'sent')).toBe(true);
  });

  it("the daily cap holds under racing runs: one patient's ten messages, three sent", async () => {
    const clinic = await adminOperations(a.deps.store.db, () => DEFAULT_NOW).createClinic();
    const ids = await clinicWithMessages(a.url, clinic.key, { dailyCapPerPatient: 3 });
    const phone = phoneOf(6, 0);
    for (let i = 0; i < 10; i++) {
      await restCall(a.url, clinic.key, 'POST', '/v1/appointments', {
        professionalId: ids.professional.id,
        serviceTypeId: ids.service.id,
        patientName: 'Maria Silva',
        patientPhone: phone,
        startsAt: new Date(Date.parse('2026-03-05T09:00:00Z') + i * 30 * 60_000).toISOString(),
      });
    }
    const reports = await race(DEFAULT_NOW);
    expect(reports.reduce((n, r) => n + r.messages.sent, 0)).toBe(3);
    expect(sendsTo(phone)).toBe(3);
    const rows = a.deps.store.sqlite
      .prepare(
        'SELECT status, count(*) AS n FROM messages WHERE tenant_id = ? GROUP BY status ORDER BY status',
      )
      .all(clinic.tenantId);
    expect(rows).toEqual([
      { status: 'sent', n: 3 },
      { status: 'skipped', n: 7 },
    ]);
  });

  it('two service processes on their own timers (the Node entry, 1 s ticks): every message sent exactly once', async () => {
    const databasePath = join(dir, 'processes.db');
    const env = {
      ...secretsEnv(),
      SCHEDULER_INTERVAL_SECONDS: '1',
      TWILIO_API_BASE_URL: standInUrl,
      RATE_LIMIT_PER_KEY_PER_MINUTE: '1000000',
      RATE_LIMIT_PER_KEY_PER_SECOND: '1000000',
    };
    const first = await startServiceProcess({ databasePath, logFile: join(dir, 'first.log'), env });
    let second: ServiceProcess | undefined;
    try {
      second = await startServiceProcess({ databasePath, logFile: join(dir, 'second.log'), env });
      // The clinic is made as the admin CLI would, on the same database file.
      const { openSqliteStore } = await import('../../src/db/sqlite.js');
      const store = openSqliteStore(databasePath);
      const clinic = await adminOperations(store.db, () => Date.now()).createClinic();
      // The wall clock decides when this runs: without quiet hours, staff bookings' confirmations go
      // at once whatever the hour (they would otherwise wait for 09:00 in Lisbon).
      const ids = await clinicWithMessages(first.url, clinic.key, { quietHours: null });
      // Eight days ahead, on a weekday, from 09:00 Lisbon (UTC in winter, UTC+1 in summer: 10:00 UTC is safe).
      const day = new Date(Date.now() + 8 * 86_400_000);
      while ([0, 6].includes(day.getUTCDay())) day.setUTCDate(day.getUTCDate() + 1);
      day.setUTCHours(10, 0, 0, 0);
      await bookMany(first.url, clinic.key, ids, day.getTime(), 2, 12);
      const deadline = Date.now() + 30_000;
      const count = () =>
        (
          store.sqlite.prepare("SELECT count(*) AS n FROM messages WHERE status = 'sent'").get() as {
            n: number;
          }
        ).n;
      while (count() < 12 && Date.now() < deadline) await new Promise((done) => setTimeout(done, 200));
      // A few more ticks of both timers: nothing goes twice.
      await new Promise((done) => setTimeout(done, 2_500));
      expect(count()).toBe(12);
      for (let i = 0; i < 12; i++) expect(sendsTo(phoneOf(2, i)), phoneOf(2, i)).toBe(1);
      store.close();
    } finally {
      await second?.stop();
      await first.stop();
    }
  }, 90_000);
});
