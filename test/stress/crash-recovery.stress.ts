// Crash recovery: clients book without pause while the real service process is killed with SIGKILL
// at random moments and restarted. After every restart the database must hold every appointment
// that was answered 201, no professional may be double-booked, SQLite's integrity check must pass,
// and every acknowledged Idempotency-Key must replay its original answer byte for byte.
// A client whose request died with the process retries it with the same key, as a real PMS would.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/accounts/api-keys.js';
import { createTenant } from '../../src/accounts/tenants.js';
import { openSqliteStore } from '../../src/db/sqlite.js';
import { phoneForms, scanDatabaseRows, scanFiles } from '../support/phone-scan.js';
import {
  freePort,
  NO_RATE_LIMITS,
  type ServiceProcess,
  secretsEnv,
  startServiceProcess,
} from '../support/service-process.js';

const KILLS = Number(process.env.CRASH_KILLS ?? 24);
const CLIENTS = 4;
const DAY = 86_400_000;
const MINUTE = 60_000;

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const between = (min: number, max: number) => min + Math.floor(Math.random() * (max - min));

/** The REST door takes E.164; the scan afterwards looks for every other form of these numbers too. */
const PHONES = Array.from(
  { length: 24 },
  (_, i) => `+35191${String(4_730_000 + i * 3_917).padStart(7, '0')}`,
);

interface Attempt {
  key: string;
  body: string;
  tries: number;
  /** A try died with the process, after the request was sent. */
  cut?: boolean;
}

interface Acknowledged {
  key: string;
  body: string;
  status: number;
  text: string;
  id?: string;
  round: number;
}

let dir: string;
let databasePath: string;
let logFile: string;
let port: number;
let env: Record<string, string>;
let service: ServiceProcess | undefined;
let tenantId: string;
let apiKey: string;
const professionals: string[] = [];
const services: string[] = [];

const url = () => `http://127.0.0.1:${port}`;
const headers = () => ({ authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' });

async function start() {
  service = await startServiceProcess({ databasePath, logFile, port, env });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'agendai-crash-'));
  databasePath = join(dir, 'agendai.db');
  logFile = join(dir, 'service.log');
  port = await freePort();
  env = { ...secretsEnv(), ...NO_RATE_LIMITS };

  // The clinic and its key, as `npm run cli -- tenants create` makes them.
  const store = openSqliteStore(databasePath);
  const tenant = await createTenant(
    store.db,
    { name: 'Clínica Resiliente', timezone: 'Europe/Lisbon', country: 'PT', status: 'active' },
    Date.now(),
  );
  tenantId = tenant.id;
  apiKey = (await createApiKey(store.db, tenant.id, { scopes: ['*'], mode: 'live' }, Date.now())).apiKey;
  store.close();

  await start();
  for (const name of ['Dra. Ana', 'Dr. Bruno', 'Dra. Carla', 'Dr. Duarte']) {
    const reply = await fetch(`${url()}/v1/professionals`, {
      method: 'POST',
      headers: headers(),
      body: JSON.stringify({ name }),
    });
    expect(reply.status).toBe(201);
    professionals.push(((await reply.json()) as { id: string }).id);
  }
  // A buffer makes blocks_until differ from ends_at: the overlap rule must use it.
  for (const service of [
    { name: 'Consulta', durationMinutes: 30 },
    { name: 'Cirurgia', durationMinutes: 45, bufferMinutes: 15 },
  ]) {
    const reply = await fetch(`${url()}/v1/services`, {
      method: 'POST',
      headers: headers(),
      body: JSON.stringify(service),
    });
    expect(reply.status).toBe(201);
    services.push(((await reply.json()) as { id: string }).id);
  }
}, 60_000);

afterAll(async () => {
  await service?.kill();
  rmSync(dir, { recursive: true, force: true });
});

/** A booking on a small grid (15-minute steps, 20 days, 4 professionals): collisions are common. */
function randomBooking(client: number, n: number): Attempt {
  const tomorrow = Math.floor(Date.now() / DAY) * DAY + DAY;
  const startsAt = tomorrow + between(0, 20) * DAY + 8 * 60 * MINUTE + between(0, 40) * 15 * MINUTE;
  return {
    key: `crash-${client}-${n}`,
    tries: 0,
    body: JSON.stringify({
      professionalId: professionals[between(0, professionals.length)],
      serviceTypeId: services[between(0, services.length)],
      patientName: `Paciente ${client}-${n}`,
      patientPhone: PHONES[between(0, PHONES.length)],
      startsAt: new Date(startsAt).toISOString(),
    }),
  };
}

describe('crash recovery under SIGKILL', () => {
  it(`keeps every acknowledged booking through ${KILLS} kills`, async () => {
    const acknowledged = new Map<string, Acknowledged>();
    const failures: string[] = [];
    let round = 0;
    let paused = false;
    let stopped = false;
    let inDoubt = 0;
    let committedBeforeKill = 0;
    let rerunAfterKill = 0;
    let sent = 0;

    const client = async (index: number) => {
      let n = 0;
      let attempt: Attempt | undefined;
      while (!stopped) {
        if (paused) {
          await sleep(10);
          continue;
        }
        attempt ??= randomBooking(index, n++);
        attempt.tries++;
        sent++;
        let reply: Response;
        let text: string;
        try {
          reply = await fetch(`${url()}/v1/appointments`, {
            method: 'POST',
            headers: { ...headers(), 'idempotency-key': attempt.key },
            body: attempt.body,
          });
          text = await reply.text();
        } catch (error) {
          // The process died under the request (or is down): the outcome is unknown, so retry the same key.
          const refused = (error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED';
          if (!refused && !attempt.cut) {
            attempt.cut = true;
            inDoubt++;
          }
          await sleep(15);
          continue;
        }
        if (attempt.cut) {
          if (reply.headers.get('idempotent-replayed') === 'true') committedBeforeKill++;
          else rerunAfterKill++;
        }
        if (reply.status === 201 || (reply.status === 409 && JSON.parse(text).error === 'slot_conflict')) {
          acknowledged.set(attempt.key, {
            key: attempt.key,
            body: attempt.body,
            status: reply.status,
            text,
            id: reply.status === 201 ? JSON.parse(text).id : undefined,
            round,
          });
        } else {
          failures.push(`${attempt.key}: ${reply.status} ${text.slice(0, 300)}`);
        }
        attempt = undefined;
      }
    };

    const verify = async (label: string) => {
      // A second connection to the file, as an operator would open it, while the service runs.
      const db = new Database(databasePath, { readonly: true });
      try {
        expect(db.pragma('integrity_check', { simple: true }), label).toBe('ok');
        expect(db.pragma('foreign_key_check'), label).toEqual([]);
        const overlapping = db
          .prepare(
            `SELECT a.id AS a, b.id AS b FROM appointments a JOIN appointments b
               ON a.tenant_id = b.tenant_id AND a.professional_id = b.professional_id AND a.id < b.id
              AND a.starts_at < b.blocks_until AND b.starts_at < a.blocks_until
            WHERE a.status IN ('confirmed', 'rescheduled') AND b.status IN ('confirmed', 'rescheduled')`,
          )
          .all();
        expect(overlapping, `${label}: overlapping active appointments`).toEqual([]);
        const ids = new Set(
          (
            db.prepare('SELECT id FROM appointments WHERE tenant_id = ?').all(tenantId) as { id: string }[]
          ).map((r) => r.id),
        );
        const lost = [...acknowledged.values()].filter((a) => a.id && !ids.has(a.id));
        expect(
          lost.map((a) => a.key),
          `${label}: appointments answered 201 but missing`,
        ).toEqual([]);
      } finally {
        db.close();
      }

      // Every acknowledged key replays its first answer, byte for byte.
      const queue = [...acknowledged.values()];
      const mismatches: string[] = [];
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          for (let a = queue.pop(); a; a = queue.pop()) {
            const reply = await fetch(`${url()}/v1/appointments`, {
              method: 'POST',
              headers: { ...headers(), 'idempotency-key': a.key },
              body: a.body,
            });
            const text = await reply.text();
            if (
              reply.status !== a.status ||
              text !== a.text ||
              reply.headers.get('idempotent-replayed') !== 'true'
            ) {
              mismatches.push(`${a.key}: ${a.status} → ${reply.status} ${text.slice(0, 200)}`);
            }
          }
        }),
      );
      expect(mismatches, `${label}: replays that differ`).toEqual([]);
    };

    const clients = Array.from({ length: CLIENTS }, (_, i) => client(i));
    const kills: { round: number; acknowledged: number; inDoubt: number }[] = [];
    try {
      for (round = 1; round <= KILLS; round++) {
        paused = false;
        await sleep(between(100, 700));
        await service!.kill();
        const exit = await service!.exited;
        expect(exit.signal).toBe('SIGKILL');
        kills.push({ round, acknowledged: acknowledged.size, inDoubt });
        paused = true;
        await start();
        await verify(`after kill ${round}`);
      }
      paused = false;
      // Let the in-doubt requests of the last kill settle before the last look.
      await sleep(500);
    } finally {
      stopped = true;
      await Promise.all(clients);
    }
    await verify('at the end');

    expect(failures).toEqual([]);
    const created = [...acknowledged.values()].filter((a) => a.status === 201).length;
    // The run must have exercised something: bookings, conflicts and requests cut by a kill.
    expect(created).toBeGreaterThan(KILLS);
    expect(acknowledged.size - created).toBeGreaterThan(0);
    expect(inDoubt).toBeGreaterThan(0);
    console.log(
      `crash recovery: ${KILLS} SIGKILLs and restarts, ${sent} requests, ${created} appointments created, ` +
        `${acknowledged.size - created} slot conflicts, ${inDoubt} requests cut by a kill and retried with ` +
        `their key (${committedBeforeKill} had committed and replayed, ${rerunAfterKill} ran afresh); ` +
        `checks after every restart passed`,
    );

    // No raw phone, in any format, in the database file (outside the encrypted column) or the logs.
    await service!.stop();
    service = undefined;
    const forms = PHONES.flatMap((p) => phoneForms(p, 'PT'));
    const db = new Database(databasePath, { readonly: true });
    try {
      const rows = await scanDatabaseRows((sql) => db.prepare(sql).all() as Record<string, unknown>[], forms);
      expect(rows, 'raw phone numbers in database rows').toEqual([]);
    } finally {
      db.close();
    }
    const files = [databasePath, `${databasePath}-wal`, logFile];
    expect(scanFiles(files, forms), 'raw phone numbers in the database files or the log').toEqual([]);
    expect(readFileSync(logFile, 'utf8')).toContain('"event":"request"');
  }, 280_000);
});
