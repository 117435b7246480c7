// A sender killed while the provider has the message (it took it, its answer never came back): the
// message must not go a second time. The service runs as a real process (the Node entry, its timer
// and its kick after writes) and is SIGKILLed while a Twilio stand-in holds the request open; a second
// process on the same database then finds the row `sending`, and once the lease is out records it
// `unknown` instead of sending it again.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/db/sqlite.js';
import { adminOperations } from '../support/admin.js';
import { messageStandIn, TWILIO_SID, TWILIO_TOKEN } from '../support/message-stand-ins.js';
import { type ServiceProcess, secretsEnv, startServiceProcess } from '../support/service-process.js';
import { restCall, serveStandIn } from '../support/stand-in-server.js';

const provider = messageStandIn();
/** Requests the stand-in took and never answered (the provider accepted; the answer was lost). */
let held = 0;
let standInUrl: string;
let closeStandIn: () => Promise<void>;
let dir: string;
const never = new Promise<Response>(() => {});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'agendai-crash-'));
  const standIn = await serveStandIn(async (request) => {
    await provider.handler(request);
    held++;
    return never;
  });
  standInUrl = standIn.url;
  closeStandIn = standIn.close;
});
afterAll(async () => {
  await closeStandIn();
  rmSync(dir, { recursive: true, force: true });
});

const until = async (done: () => boolean, ms: number) => {
  const deadline = Date.now() + ms;
  while (!done() && Date.now() < deadline) await new Promise((next) => setTimeout(next, 50));
};

describe('a sender killed mid-send', () => {
  it('leaves the message sending, then unknown; it never goes twice', async () => {
    const databasePath = join(dir, 'crash.db');
    const env = { ...secretsEnv(), SCHEDULER_INTERVAL_SECONDS: '1', TWILIO_API_BASE_URL: standInUrl };
    const store = openSqliteStore(databasePath);
    let second: ServiceProcess | undefined;
    const first = await startServiceProcess({ databasePath, logFile: join(dir, 'first.log'), env });
    try {
      const clinic = await adminOperations(store.db, () => Date.now()).createClinic();
      await restCall(first.url, clinic.key, 'PUT', '/v1/messaging/senders/sms', {
        provider: 'twilio',
        from: '+351300000009',
        credentials: { accountSid: TWILIO_SID, authToken: TWILIO_TOKEN },
      });
      await restCall(first.url, clinic.key, 'PUT', '/v1/messaging/settings', {
        enabled: true,
        confirmationSources: ['manual'],
        reminderHours: 0,
        quietHours: null,
      });
      const professional = await restCall(first.url, clinic.key, 'POST', '/v1/professionals', {
        name: 'Dr. Rui',
      });
      const service = await restCall(first.url, clinic.key, 'POST', '/v1/services', {
        name: 'Consulta',
        durationMinutes: 30,
      });
      await restCall(first.url, clinic.key, 'POST', '/v1/appointments', {
        professionalId: professional.id,
        serviceTypeId: service.id,
        patientName: 'Maria Silva',
        patientPhone: '+351912000001',
        startsAt: new Date(Date.now() + 8 * 86_400_000).toISOString(),
      });
      // The kick after the booking sends it; the provider takes it and its answer never comes.
      await until(() => held === 1, 15_000);
      expect(held).toBe(1);
      await first.kill();
      const row = () =>
        store.sqlite.prepare('SELECT status, attempts, next_attempt_at AS due FROM messages').get() as {
          status: string;
          attempts: number;
          due: number;
        };
      expect(row()).toMatchObject({ status: 'sending', attempts: 1 });
      // Another process takes over; a few of its ticks leave the row alone while the lease runs.
      second = await startServiceProcess({ databasePath, logFile: join(dir, 'second.log'), env });
      await new Promise((next) => setTimeout(next, 2_500));
      expect(row().status).toBe('sending');
      // The lease (60 s) runs out: moved forward here rather than waited for.
      store.sqlite.prepare('UPDATE messages SET next_attempt_at = ?').run(Date.now() - 1);
      await until(() => row().status !== 'sending', 10_000);
      expect(row()).toMatchObject({ status: 'unknown', attempts: 1 });
      await new Promise((next) => setTimeout(next, 2_500));
      expect(provider.attempts).toHaveLength(1);
      expect(held).toBe(1);
    } finally {
      await second?.stop();
      await first.kill();
      store.close();
    }
  }, 90_000);
});
