// The typed-storage migration (drizzle/0004_typed_storage.sql) on a database that already holds data:
// rows written in the schema as it was before it (migrations up to 0003_webhooks), the migration
// applied, then every row checked and the new constraints tried, through a small raw interface (the
// Node test drives better-sqlite3 through drizzle's migrator).

import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { findCatalogItem } from '../../src/db/catalog.js';
import {
  appointmentHistory,
  appointments,
  callEvents,
  professionals,
  services,
} from '../../src/db/schema.js';
import type { Store } from '../../src/db/store.js';

/** The last migration before typed storage: the schema the data below is written in. */
export const BEFORE_TYPED_STORAGE = '0003_webhooks';

export interface RawDb {
  run(sql: string, params?: unknown[]): Promise<void>;
  all(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
}

const T1 = 'tenant-1';
const T2 = 'tenant-2';
const P1 = 'prof-1';
const P2 = 'prof-2';
const P3 = 'prof-3';
const P_GONE = 'prof-removed';
const S1 = 'svc-1';
const S2 = 'svc-2';
const S3 = 'svc-3';
const S4 = 'svc-4';
const NOW = 1_790_000_000_000;
const H = 3_600_000;

const config = JSON.stringify({ timezone: 'Europe/Lisbon', noShowGraceMinutes: 30 });
const weekly = JSON.stringify({ monday: [{ start: 540, end: 1080 }] });

/** One row of every kind the old schema holds, in the columns it had then. */
const rows: [table: string, row: Record<string, unknown>][] = [
  ['tenants', tenant(T1, 'Clínica A', 'clinica-a', 'dental', 'active')],
  ['tenants', tenant(T2, 'Clínica B', null, 'physio', 'trial')],
  [
    'api_keys',
    {
      id: 'key-1',
      tenant_id: T1,
      name: 'PMS',
      mode: 'live',
      key_hash: 'hash-1',
      display_prefix: 'agd_live_ab',
      last4: 'wxyz',
      scopes: '["appointments:read","appointments:write"]',
      expires_at: NOW + 365 * 24 * H,
      revoked_at: null,
      last_used_at: NOW,
      created_at: NOW,
    },
  ],
  ['professionals', professional(P1, T1, 'pms-1', null)],
  ['professionals', professional(P2, T1, null, null)],
  // A removed professional keeps its PMS id; a live one of the same clinic may reuse it.
  ['professionals', professional(P_GONE, T1, 'pms-2', NOW - H)],
  ['professionals', professional('prof-4', T1, 'pms-2', null)],
  // Another clinic may use the same PMS id.
  ['professionals', professional(P3, T2, 'pms-1', null)],
  ['services', service(S1, T1, `["${P1}","${P2}"]`, 'svc-pms-1', 30, 5)],
  ['services', service(S2, T1, '[]', null, 720, 240)],
  ['services', service(S3, T2, `["${P3}"]`, 'svc-pms-1', 45, 0)],
  // An id that is no professional of the clinic (another clinic's) is not carried over.
  ['services', service(S4, T1, `["${P2}","${P3}"]`, null, 60, 10)],
  [
    'appointments',
    appointment('appt-1', T1, P1, S1, 'confirmed', 'voice_ai', '{"crm":"x-1","priority":2}', NOW + 24 * H),
  ],
  ['appointments', appointment('appt-2', T1, P2, S2, 'cancelled', 'manual', '{}', NOW - 24 * H)],
  ['appointments', appointment('appt-3', T2, P3, null, 'rescheduled', 'sync_external', '{}', NOW + 2 * H)],
  [
    'appointment_history',
    {
      id: 'hist-1',
      tenant_id: T1,
      appointment_id: 'appt-1',
      action: 'created',
      actor: 'voice:vapi',
      changes: '{"status":{"from":null,"to":"confirmed"}}',
      occurred_at: NOW,
    },
  ],
  [
    'appointment_history',
    {
      id: 'hist-2',
      tenant_id: T1,
      appointment_id: 'appt-2',
      action: 'cancelled',
      actor: 'key:key-1',
      changes: '{"status":{"from":"confirmed","to":"cancelled"}}',
      occurred_at: NOW + 1,
    },
  ],
  [
    'schedule_exceptions',
    {
      id: 'exc-1',
      tenant_id: T1,
      professional_id: P1,
      kind: 'time_off',
      start_date: '2026-12-24',
      end_date: '2026-12-26',
      start_minute: null,
      end_minute: null,
      reason: 'Natal',
      created_at: NOW,
    },
  ],
  [
    'idempotency_keys',
    {
      tenant_id: T1,
      key: 'idem-1',
      fingerprint: 'fp-1',
      claim: 'claim-1',
      response_status: 201,
      response_body: '{"id":"appt-1"}',
      response_location: '/v1/appointments/appt-1',
      created_at: NOW,
    },
  ],
  [
    'voice_integrations',
    {
      id: 'voice-1',
      tenant_id: T1,
      platform: 'vapi',
      name: 'Recepção',
      credentials_encrypted: 'sealed',
      phone_numbers: '["+351210000000"]',
      active: 1,
      created_at: NOW,
      updated_at: NOW,
    },
  ],
  [
    'calls',
    {
      id: 'call-1',
      tenant_id: T1,
      integration_id: 'voice-1',
      platform: 'vapi',
      external_call_id: 'vapi-call-1',
      from_number_encrypted: 'sealed-number',
      from_number_hash: 'number-hash',
      to_number: '+351210000000',
      status: 'completed',
      outcome: 'booking_created',
      ended_reason: 'customer-ended-call',
      started_at: NOW,
      ended_at: NOW + 60_000,
      duration_seconds: 60,
      transcription_word_count: 120,
      recording_url: null,
      metadata: '{"assistant":"a-1"}',
      created_at: NOW,
      updated_at: NOW,
    },
  ],
  [
    'call_events',
    {
      id: 'event-1',
      tenant_id: T1,
      call_id: 'call-1',
      event_type: 'tool_call',
      role: null,
      transcript: null,
      tool_name: 'book_appointment',
      tool_input: '{"patientName":"Ana","phone":"[phone]"}',
      tool_output: '{"ok":true,"toolCallId":"tc-1"}',
      occurred_at: NOW,
    },
  ],
  [
    'call_events',
    {
      id: 'event-2',
      tenant_id: T1,
      call_id: 'call-1',
      event_type: 'speech',
      role: 'caller',
      transcript: 'Queria marcar uma consulta',
      tool_name: null,
      tool_input: null,
      tool_output: null,
      occurred_at: NOW - 1,
    },
  ],
  [
    'webhook_endpoints',
    {
      id: 'hook-1',
      tenant_id: T1,
      url: 'https://pms.example/hooks',
      description: null,
      events: '["appointment.created","appointment.cancelled"]',
      secret_encrypted: 'sealed-secret',
      previous_secret_encrypted: null,
      previous_secret_expires_at: null,
      active: 1,
      created_at: NOW,
      updated_at: NOW,
    },
  ],
  [
    'webhook_deliveries',
    {
      id: 'delivery-1',
      tenant_id: T1,
      endpoint_id: 'hook-1',
      event_id: 'evt-1',
      event_type: 'appointment.created',
      payload: '{"type":"appointment.created","data":{}}',
      status: 'pending',
      attempts: 1,
      next_attempt_at: NOW + 60_000,
      last_status_code: 500,
      last_error: 'HTTP 500',
      created_at: NOW,
      delivered_at: null,
    },
  ],
];

function tenant(id: string, name: string, slug: string | null, specialty: string, status: string) {
  return {
    id,
    name,
    legal_name: null,
    specialty,
    status,
    nif: null,
    address: null,
    postal_code: null,
    city: 'Lisboa',
    country: 'PT',
    email: null,
    phone: null,
    public_slug: slug,
    public_booking_enabled: slug ? 1 : 0,
    plan: 'basic',
    trial_ends_at: status === 'trial' ? NOW + 14 * 24 * H : null,
    config,
    created_at: NOW,
    updated_at: NOW,
  };
}

function professional(id: string, tenantId: string, externalId: string | null, deletedAt: number | null) {
  return {
    id,
    tenant_id: tenantId,
    name: `Dr. ${id}`,
    specialty: null,
    email: null,
    external_id: externalId,
    weekly_schedule: weekly,
    active: deletedAt ? 0 : 1,
    deleted_at: deletedAt,
    created_at: NOW,
    updated_at: NOW,
  };
}

function service(
  id: string,
  tenantId: string,
  professionalIds: string,
  externalId: string | null,
  duration: number,
  buffer: number,
) {
  return {
    id,
    tenant_id: tenantId,
    name: `Service ${id}`,
    description: null,
    duration_minutes: duration,
    buffer_minutes: buffer,
    price_cents: 4500,
    currency: 'EUR',
    professional_ids: professionalIds,
    external_id: externalId,
    active: 1,
    deleted_at: null,
    created_at: NOW,
    updated_at: NOW,
  };
}

function appointment(
  id: string,
  tenantId: string,
  professionalId: string,
  serviceId: string | null,
  status: string,
  source: string,
  metadata: string,
  startsAt: number,
) {
  return {
    id,
    tenant_id: tenantId,
    professional_id: professionalId,
    service_type_id: serviceId,
    patient_name: 'Ana Sousa',
    patient_name_search: 'ana sousa',
    patient_phone_hash: 'v1:phone-hash',
    patient_phone_encrypted: 'sealed-phone',
    starts_at: startsAt,
    ends_at: startsAt + H / 2,
    blocks_until: startsAt + H / 2 + 5 * 60_000,
    status,
    source,
    patient_notes: null,
    metadata,
    cancellation_reason: status === 'cancelled' ? 'patient asked' : null,
    call_id: null,
    version: 1,
    last_command_id: `cmd-${id}`,
    created_at: NOW,
    updated_at: NOW,
  };
}

const insertOf = (table: string, row: Record<string, unknown>) => ({
  sql: `INSERT INTO ${table} (${Object.keys(row).join(', ')}) VALUES (${Object.keys(row)
    .map(() => '?')
    .join(', ')})`,
  params: Object.values(row),
});

/** Writes the rows into the old schema (foreign keys on, as the servers run). */
export async function seedOldSchema(db: RawDb) {
  for (const [table, row] of rows) {
    const { sql, params } = insertOf(table, row);
    await db.run(sql, params);
  }
}

const TABLES = [...new Set(rows.map(([table]) => table))];
const keyOf = (table: string) => (table === 'idempotency_keys' ? 'tenant_id, key' : 'id');

/** Every table's rows, ordered by key: what must survive the migration. */
export async function contents(db: RawDb) {
  const all: Record<string, Record<string, unknown>[]> = {};
  for (const table of TABLES) all[table] = await db.all(`SELECT * FROM ${table} ORDER BY ${keyOf(table)}`);
  return all;
}

/** The checks after the migration: the rows, the join table, and the new constraints. */
export async function checkMigrated(db: RawDb, store: Store, before: Awaited<ReturnType<typeof contents>>) {
  const after = await contents(db);
  const expected = structuredClone(before);
  // The JSON array column is the only one that goes: it became rows of service_professionals.
  for (const row of expected.services!) delete row.professional_ids;
  // Later migrations may add columns (applied too, as a server would); the old columns must hold.
  const asBefore = Object.fromEntries(
    Object.entries(after).map(([table, rows]) => [
      table,
      rows.map((row, i) =>
        Object.fromEntries(Object.keys(expected[table]?.[i] ?? row).map((k) => [k, row[k]])),
      ),
    ]),
  );
  expect(asBefore).toEqual(expected);

  expect(
    await db.all('SELECT service_id, professional_id FROM service_professionals ORDER BY rowid'),
  ).toEqual([
    { service_id: S1, professional_id: P1 },
    { service_id: S1, professional_id: P2 },
    { service_id: S3, professional_id: P3 },
    { service_id: S4, professional_id: P2 },
  ]);
  expect(await db.all('PRAGMA foreign_key_check')).toEqual([]);

  // The code reads the migrated rows, typed: lists from the join table, JSON columns as values.
  expect((await findCatalogItem(store.db, services, T1, S1))?.professionalIds).toEqual([P1, P2]);
  expect((await findCatalogItem(store.db, services, T1, S2))?.professionalIds).toEqual([]);
  expect((await findCatalogItem(store.db, professionals, T1, P1))?.weeklySchedule).toEqual(
    JSON.parse(weekly),
  );
  const [appt] = await store.db.select().from(appointments).where(eq(appointments.id, 'appt-1'));
  expect(appt?.metadata).toEqual({ crm: 'x-1', priority: 2 });
  const [history] = await store.db
    .select()
    .from(appointmentHistory)
    .where(eq(appointmentHistory.id, 'hist-1'));
  expect(history?.changes).toEqual({ status: { from: null, to: 'confirmed' } });
  const [event] = await store.db.select().from(callEvents).where(eq(callEvents.id, 'event-1'));
  expect(event?.toolOutput).toEqual({ ok: true, toolCallId: 'tc-1' });

  // And the database now refuses what the code never writes.
  const refused = async (table: string, row: Record<string, unknown>, why: RegExp) => {
    const { sql, params } = insertOf(table, row);
    await expect(db.run(sql, params), `${table} ${JSON.stringify(row).slice(0, 120)}`).rejects.toThrow(why);
  };
  const { professional_ids: _, ...newService } = service('svc-new', T1, '[]', null, 30, 0);
  const svc = (overrides: Record<string, unknown>) => ({ ...newService, ...overrides });
  await refused('services', svc({ duration_minutes: 721 }), /CHECK constraint failed/);
  await refused('services', svc({ duration_minutes: 0 }), /CHECK constraint failed/);
  await refused('services', svc({ buffer_minutes: 241 }), /CHECK constraint failed/);
  await refused('services', svc({ buffer_minutes: -1 }), /CHECK constraint failed/);
  await refused('services', svc({ external_id: 'svc-pms-1' }), /UNIQUE constraint failed/);
  await refused('professionals', professional('prof-new', T1, 'pms-1', null), /UNIQUE constraint failed/);
  const appt4 = appointment('appt-4', T1, P1, S1, 'confirmed', 'manual', '{}', NOW + 48 * H);
  await refused('appointments', { ...appt4, status: 'booked' }, /CHECK constraint failed/);
  await refused('appointments', { ...appt4, source: 'fax' }, /CHECK constraint failed/);
  await refused('appointments', { ...appt4, ends_at: appt4.starts_at }, /CHECK constraint failed/);
  await refused('appointments', { ...appt4, blocks_until: appt4.ends_at - 1 }, /CHECK constraint failed/);
  await refused(
    'tenants',
    tenant('tenant-3', 'C', 'clinica-a', 'dental', 'active'),
    /UNIQUE constraint failed/,
  );
  await refused('tenants', tenant('tenant-3', 'C', null, 'dentistry', 'active'), /CHECK constraint failed/);
  await refused('tenants', tenant('tenant-3', 'C', null, 'dental', 'suspended'), /CHECK constraint failed/);
  const history3 = { ...before.appointment_history![0]!, id: 'hist-3' };
  await refused('appointment_history', { ...history3, action: 'deleted' }, /CHECK constraint failed/);
  const delivery = { ...before.webhook_deliveries![0]!, id: 'delivery-2' };
  await refused('webhook_deliveries', { ...delivery, status: 'lost' }, /CHECK constraint failed/);
  const call = { ...before.calls![0]!, id: 'call-2', external_call_id: 'vapi-call-2' };
  await refused('calls', { ...call, platform: 'skype' }, /CHECK constraint failed/);
  await refused('calls', { ...call, status: 'ringing' }, /CHECK constraint failed/);
  const event2 = { ...before.call_events![1]!, id: 'event-3' };
  await refused('call_events', { ...event2, role: 'robot' }, /CHECK constraint failed/);
  await refused('call_events', { ...event2, event_type: 'dtmf' }, /CHECK constraint failed/);
  const key = { ...before.api_keys![0]!, id: 'key-2', key_hash: 'hash-2' };
  await refused('api_keys', { ...key, mode: 'prod' }, /CHECK constraint failed/);
  const exception = { ...before.schedule_exceptions![0]!, id: 'exc-2' };
  await refused('schedule_exceptions', { ...exception, kind: 'sick' }, /CHECK constraint failed/);
  await refused('schedule_exceptions', { ...exception, end_date: '2026-12-23' }, /CHECK constraint failed/);
  await refused(
    'service_professionals',
    { tenant_id: T1, service_id: S1, professional_id: P1 },
    /UNIQUE|PRIMARY/,
  );

  // The same rows within bounds are accepted: the refusals above are the constraints, not the fixture.
  const accepted = async (table: string, row: Record<string, unknown>) => {
    const { sql, params } = insertOf(table, row);
    await db.run(sql, params);
  };
  await accepted('services', svc({ duration_minutes: 720, buffer_minutes: 240 }));
  await accepted('appointments', appt4);
  await accepted('professionals', professional('prof-new', T1, 'pms-3', null));
  await accepted('professionals', professional('prof-other', T2, 'pms-2', null));
}
