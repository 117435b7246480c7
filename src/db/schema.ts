// The one schema history: these tables → `npm run db:generate` → SQL in drizzle/ → applied by the
// Node entry at start-up and by each clinic's Durable Object when it wakes (src/db/migrations-bundle.ts).
// Instants are UTC epoch milliseconds; intervals are half-open [starts_at, ends_at).
// Word columns are enums built from the domain's lists, each with a CHECK so the database refuses a
// word the code does not know; JSON columns are typed and decoded by drizzle (json mode).
import { type SQL, sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  primaryKey,
  type SQLiteColumn,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core';
import type { FieldChanges } from '../domain/history.js';
import { HISTORY_ACTIONS } from '../domain/history.js';
import {
  MESSAGE_CHANNELS,
  MESSAGE_KINDS,
  MESSAGE_PROVIDERS,
  MESSAGE_STATUSES,
} from '../domain/message-vocabulary.js';
import { MAX_BUFFER_MINUTES, MAX_SERVICE_MINUTES } from '../domain/service-caps.js';
import { APPOINTMENT_SOURCES, CONFIRMATION_CHANNELS } from '../domain/source.js';
import { APPOINTMENT_STATUSES } from '../domain/status.js';
import type { TriageAnswer, TriageQuestion } from '../domain/triage.js';
import {
  API_KEY_MODES,
  CALL_EVENT_TYPES,
  CALL_STATUSES,
  CALLBACK_STATUSES,
  CALLBACK_URGENCIES,
  CLINIC_SPECIALTIES,
  DELIVERY_STATUSES,
  SCHEDULE_EXCEPTION_KINDS,
  SPEAKERS,
  TENANT_STATUSES,
  VOICE_PLATFORMS,
} from '../domain/vocabulary.js';
import type { WeeklySchedule } from '../domain/working-hours.js';

/** CHECK that the column holds one of the words (or NULL, which NOT NULL refuses where it must). */
const oneOf = (name: string, column: SQLiteColumn, words: readonly string[]) =>
  check(name, sql`${col(column)} IN (${sql.raw(words.map((w) => `'${w}'`).join(', '))})`);

// Constraints name their columns unqualified: drizzle-kit rebuilds a SQLite table under a temporary
// name to change its constraints, and a CHECK qualified with the final table name would not resolve.
const col = (column: SQLiteColumn): SQL => sql`${sql.identifier(column.name)}`;

type Catalog = { tenantId: SQLiteColumn; externalId: SQLiteColumn; deletedAt: SQLiteColumn };

/** Unique among a clinic's live rows that carry a PMS id (a removed row keeps its id for history). */
const uniqueExternalId = (name: string, t: Catalog) =>
  uniqueIndex(name)
    .on(t.tenantId, t.externalId)
    .where(sql`${col(t.externalId)} IS NOT NULL AND ${col(t.deletedAt)} IS NULL`);

export const tenants = sqliteTable(
  'tenants',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    legalName: text('legal_name'),
    specialty: text('specialty', { enum: CLINIC_SPECIALTIES }).notNull().default('other'),
    status: text('status', { enum: TENANT_STATUSES }).notNull().default('trial'),
    nif: text('nif'),
    address: text('address'),
    postalCode: text('postal_code'),
    city: text('city'),
    country: text('country').notNull(),
    email: text('email'),
    phone: text('phone'),
    publicSlug: text('public_slug'),
    publicBookingEnabled: integer('public_booking_enabled', { mode: 'boolean' }).notNull().default(false),
    plan: text('plan').notNull().default('basic'),
    trialEndsAt: integer('trial_ends_at'),
    // JSON validated by src/accounts/tenant-config.ts (timezone, greeting, voice, booking rules...).
    config: text('config').notNull(),
    // Set on a clinic's sandbox (what its miv_test_ keys reach): the live clinic it is the twin of.
    // The sandbox is a tenant of its own, so every query scoped by tenant id keeps the two apart.
    sandboxOf: text('sandbox_of'),
    // Whether rows may still hold phone hashes under the old shared key (before per-clinic keys):
    // true for clinics that existed then (the column's default), until the re-hash job has gone
    // through their rows (src/accounts/phone-rehash.ts); new clinics start false.
    legacyPhoneHashes: integer('legacy_phone_hashes', { mode: 'boolean' }).notNull().default(true),
    // Where that job stopped: '<table>:<last id done>', null before it starts.
    phoneRehashCursor: text('phone_rehash_cursor'),
    // The clinic's opaque reference, written into the body of each of its API keys (the sandbox
    // shares it): on Workers it names the clinic's Durable Object in the directory, so a request is
    // routed by its key before any database is read (src/worker/router.ts). 16 URL-safe characters.
    clinicRef: text('clinic_ref'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('tenants_public_slug_unique').on(t.publicSlug),
    uniqueIndex('tenants_sandbox_of_unique').on(t.sandboxOf),
    oneOf('tenants_specialty', t.specialty, CLINIC_SPECIALTIES),
    oneOf('tenants_status', t.status, TENANT_STATUSES),
  ],
);

export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    name: text('name'),
    mode: text('mode', { enum: API_KEY_MODES }).notNull(),
    // SHA-256 of the whole key: the key itself is shown once and never stored.
    keyHash: text('key_hash').notNull(),
    displayPrefix: text('display_prefix').notNull(),
    last4: text('last4').notNull(),
    scopes: text('scopes', { mode: 'json' }).$type<string[]>().notNull(),
    expiresAt: integer('expires_at').notNull(),
    revokedAt: integer('revoked_at'),
    lastUsedAt: integer('last_used_at'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('api_keys_key_hash_unique').on(t.keyHash),
    index('api_keys_tenant').on(t.tenantId),
    oneOf('api_keys_mode', t.mode, API_KEY_MODES),
  ],
);

export const professionals = sqliteTable(
  'professionals',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    name: text('name').notNull(),
    specialty: text('specialty'),
    email: text('email'),
    externalId: text('external_id'),
    // Weekly working hours in the clinic's time zone, validated by src/domain/working-hours.ts.
    weeklySchedule: text('weekly_schedule', { mode: 'json' })
      .$type<WeeklySchedule>()
      .notNull()
      .default(sql`'{}'`),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    // Removed professionals stay as rows so past appointments keep their reference.
    deletedAt: integer('deleted_at'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('professionals_tenant').on(t.tenantId, t.name),
    uniqueExternalId('professionals_tenant_external_id', t),
  ],
);

export const services = sqliteTable(
  'services',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    name: text('name').notNull(),
    description: text('description'),
    durationMinutes: integer('duration_minutes').notNull(),
    bufferMinutes: integer('buffer_minutes').notNull().default(0),
    priceCents: integer('price_cents'),
    currency: text('currency').notNull().default('EUR'),
    externalId: text('external_id'),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    deletedAt: integer('deleted_at'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('services_tenant').on(t.tenantId, t.name),
    uniqueExternalId('services_tenant_external_id', t),
    check(
      'services_duration',
      sql`${col(t.durationMinutes)} > 0 AND ${col(t.durationMinutes)} <= ${sql.raw(String(MAX_SERVICE_MINUTES))}`,
    ),
    check(
      'services_buffer',
      sql`${col(t.bufferMinutes)} >= 0 AND ${col(t.bufferMinutes)} <= ${sql.raw(String(MAX_BUFFER_MINUTES))}`,
    ),
  ],
);

/**
 * Who provides a service: one row per (service, professional). A service without rows is open to
 * every professional of the clinic.
 */
export const serviceProfessionals = sqliteTable(
  'service_professionals',
  {
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    serviceId: text('service_id')
      .notNull()
      .references(() => services.id),
    professionalId: text('professional_id')
      .notNull()
      .references(() => professionals.id),
  },
  (t) => [
    primaryKey({ columns: [t.serviceId, t.professionalId] }),
    index('service_professionals_professional').on(t.tenantId, t.professionalId),
  ],
);

export const appointments = sqliteTable(
  'appointments',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    professionalId: text('professional_id')
      .notNull()
      .references(() => professionals.id),
    serviceTypeId: text('service_type_id').references(() => services.id),
    patientName: text('patient_name').notNull(),
    // Lower-case, accent-free copy of the name for patient search ("joao" finds "João").
    patientNameSearch: text('patient_name_search').notNull().default(''),
    // HMAC of the E.164 number (versioned); the number itself only as AES-GCM ciphertext.
    patientPhoneHash: text('patient_phone_hash').notNull(),
    patientPhoneEncrypted: text('patient_phone_encrypted').notNull(),
    // Who booked it, when not the patient (a carer for a parent): the keyed hash of the number they
    // booked from, so that number can find, cancel and move it too. Null: booked by the patient or staff.
    bookedByPhoneHash: text('booked_by_phone_hash'),
    startsAt: integer('starts_at').notNull(),
    endsAt: integer('ends_at').notNull(),
    // endsAt + the service's buffer: what the overlap rule compares against.
    blocksUntil: integer('blocks_until').notNull(),
    status: text('status', { enum: APPOINTMENT_STATUSES }).notNull(),
    source: text('source', { enum: APPOINTMENT_SOURCES }).notNull(),
    patientNotes: text('patient_notes'),
    metadata: text('metadata', { mode: 'json' })
      .$type<Record<string, unknown>>()
      .notNull()
      .default(sql`'{}'`),
    cancellationReason: text('cancellation_reason'),
    callId: text('call_id'),
    // A stable id of the patient within the clinic (one per phone), kept so it survives key rotation.
    patientId: text('patient_id'),
    patientEmail: text('patient_email'),
    title: text('title'),
    description: text('description'),
    // This appointment's length when it is not the service's (endsAt already reflects it; kept so a
    // reschedule keeps the length).
    durationMinutes: integer('duration_minutes'),
    // The confirmation record: when, by whom (the history's actor) and through which door's source.
    // These columns were added without CHECKs so the migration is a plain ADD COLUMN (no table rebuild
    // that could race another branch's columns); the core writes confirmedVia only from a door's
    // source or a patient's link or reply (CONFIRMATION_CHANNELS) and durationMinutes only within the service caps, validated at every door.
    confirmedAt: integer('confirmed_at'),
    confirmedBy: text('confirmed_by'),
    confirmedVia: text('confirmed_via', { enum: CONFIRMATION_CHANNELS }),
    // Optimistic concurrency: every change bumps version and stamps the command that made it.
    version: integer('version').notNull().default(1),
    lastCommandId: text('last_command_id').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    check(
      'appointments_interval',
      sql`${col(t.endsAt)} > ${col(t.startsAt)} AND ${col(t.blocksUntil)} >= ${col(t.endsAt)}`,
    ),
    oneOf('appointments_status', t.status, APPOINTMENT_STATUSES),
    oneOf('appointments_source', t.source, APPOINTMENT_SOURCES),
    index('appointments_tenant_patient').on(t.tenantId, t.patientId),
    // The overlap rule and availability's busy read search (tenant, professional, start) and test
    // the blocked end and the status: carrying those two makes the index cover both, so neither
    // visits the table (a 31-day busy read of a full calendar: 1.1 → 0.35 ms).
    index('appointments_professional_start').on(
      t.tenantId,
      t.professionalId,
      t.startsAt,
      t.blocksUntil,
      t.status,
    ),
    index('appointments_tenant_start').on(t.tenantId, t.startsAt),
    // A phone's appointments; by creation time within a phone, so the patient-id read (the phone's
    // first id, src/booking/patient-id.ts) stops at the first row instead of sorting its whole history.
    index('appointments_tenant_phone').on(t.tenantId, t.patientPhoneHash, t.createdAt),
    index('appointments_tenant_booker').on(t.tenantId, t.bookedByPhoneHash),
    index('appointments_tenant_updated').on(t.tenantId, t.updatedAt),
    // The no-show sweep: blocking appointments by end time, across clinics.
    index('appointments_status_end').on(t.status, t.endsAt),
  ],
);

/** Dated changes to a professional's weekly hours: time off, holidays, extra hours. */
export const scheduleExceptions = sqliteTable(
  'schedule_exceptions',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    professionalId: text('professional_id')
      .notNull()
      .references(() => professionals.id),
    kind: text('kind', { enum: SCHEDULE_EXCEPTION_KINDS }).notNull(),
    startDate: text('start_date').notNull(), // local YYYY-MM-DD, inclusive
    endDate: text('end_date').notNull(), // local YYYY-MM-DD, inclusive
    startMinute: integer('start_minute'), // minutes after local midnight; null = the whole day
    endMinute: integer('end_minute'),
    reason: text('reason'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    index('schedule_exceptions_professional').on(t.tenantId, t.professionalId, t.startDate),
    // The clinic's exceptions touching a date range (availability, the working-hours check of every
    // booking): by end date, so the read skips the years of time off that ended before the range.
    index('schedule_exceptions_tenant_end').on(t.tenantId, t.endDate),
    oneOf('schedule_exceptions_kind', t.kind, SCHEDULE_EXCEPTION_KINDS),
    check('schedule_exceptions_dates', sql`${col(t.endDate)} >= ${col(t.startDate)}`),
  ],
);

export const appointmentHistory = sqliteTable(
  'appointment_history',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    appointmentId: text('appointment_id').notNull(),
    action: text('action', { enum: HISTORY_ACTIONS }).notNull(),
    actor: text('actor').notNull(), // 'key:<id>', 'voice:<platform>', 'self_service', 'system:no_show'
    changes: text('changes', { mode: 'json' }).$type<FieldChanges>().notNull(),
    occurredAt: integer('occurred_at').notNull(),
  },
  (t) => [
    index('appointment_history_appointment').on(t.tenantId, t.appointmentId, t.occurredAt),
    oneOf('appointment_history_action', t.action, HISTORY_ACTIONS),
  ],
);

export const idempotencyKeys = sqliteTable(
  'idempotency_keys',
  {
    tenantId: text('tenant_id').notNull(),
    key: text('key').notNull(),
    fingerprint: text('fingerprint').notNull(),
    // Nonce of the command that owns the key; a batch only writes when it holds the claim.
    claim: text('claim').notNull(),
    responseStatus: integer('response_status'),
    responseBody: text('response_body'),
    responseLocation: text('response_location'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.key] }), index('idempotency_keys_created').on(t.createdAt)],
);

/** A voice platform connected to a clinic: its credentials (encrypted) and the clinic's numbers. */
export const voiceIntegrations = sqliteTable(
  'voice_integrations',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    platform: text('platform', { enum: VOICE_PLATFORMS }).notNull(),
    name: text('name'),
    // AES-GCM sealed JSON of the platform's secrets (they must be recoverable to verify signatures).
    credentialsEncrypted: text('credentials_encrypted').notNull(),
    // E.164 numbers.
    phoneNumbers: text('phone_numbers', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    // What the platform needs to place callbacks (assistant id, from-number…; no secrets): validated
    // per platform by src/voice/outbound/config.ts. Null: callbacks are not set up.
    outbound: text('outbound', { mode: 'json' }).$type<Record<string, unknown>>(),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('voice_integrations_tenant').on(t.tenantId),
    oneOf('voice_integrations_platform', t.platform, VOICE_PLATFORMS),
  ],
);

/** A phone (or web) call a platform told us about. */
export const calls = sqliteTable(
  'calls',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    integrationId: text('integration_id').notNull(),
    platform: text('platform', { enum: VOICE_PLATFORMS }).notNull(),
    externalCallId: text('external_call_id').notNull(),
    // The caller's number only encrypted (+ its hash); the clinic's own number in clear.
    fromNumberEncrypted: text('from_number_encrypted'),
    fromNumberHash: text('from_number_hash'),
    toNumber: text('to_number'),
    status: text('status', { enum: CALL_STATUSES }).notNull(),
    outcome: text('outcome'),
    endedReason: text('ended_reason'),
    startedAt: integer('started_at').notNull(),
    endedAt: integer('ended_at'),
    durationSeconds: integer('duration_seconds'),
    transcriptionWordCount: integer('transcription_word_count'),
    recordingUrl: text('recording_url'),
    metadata: text('metadata', { mode: 'json' })
      .$type<Record<string, unknown>>()
      .notNull()
      .default(sql`'{}'`),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('calls_external').on(t.integrationId, t.externalCallId),
    index('calls_tenant_started').on(t.tenantId, t.startedAt),
    // A booking asks whether the number's patient was erased (its marks on calls); erasure and export
    // find a number's calls: without it, each scans every call of the clinic.
    index('calls_tenant_from').on(t.tenantId, t.fromNumberHash),
    oneOf('calls_platform', t.platform, VOICE_PLATFORMS),
    oneOf('calls_status', t.status, CALL_STATUSES),
  ],
);

/** Outbound calls back to a caller (POST /v1/calls/{id}/callback): one row per call placed. */
export const callbacks = sqliteTable(
  'callbacks',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    // The call being returned, and the integration that places the new one.
    callId: text('call_id').notNull(),
    integrationId: text('integration_id').notNull(),
    platform: text('platform', { enum: VOICE_PLATFORMS }).notNull(),
    status: text('status', { enum: CALLBACK_STATUSES }).notNull(),
    // The platform's id of the outbound call once it accepted it (its webhooks then log that call).
    externalCallId: text('external_call_id'),
    // Why the platform refused (masked; never the number).
    failure: text('failure'),
    actor: text('actor').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('callbacks_call').on(t.tenantId, t.callId, t.createdAt),
    oneOf('callbacks_platform', t.platform, VOICE_PLATFORMS),
    oneOf('callbacks_status', t.status, CALLBACK_STATUSES),
  ],
);

export const callEvents = sqliteTable(
  'call_events',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    callId: text('call_id').notNull(),
    eventType: text('event_type', { enum: CALL_EVENT_TYPES }).notNull(),
    role: text('role', { enum: SPEAKERS }), // for speech
    transcript: text('transcript'),
    toolName: text('tool_name'),
    toolInput: text('tool_input', { mode: 'json' }).$type<unknown>(),
    toolOutput: text('tool_output', { mode: 'json' }).$type<unknown>(),
    occurredAt: integer('occurred_at').notNull(),
  },
  (t) => [
    index('call_events_call').on(t.tenantId, t.callId, t.occurredAt),
    oneOf('call_events_type', t.eventType, CALL_EVENT_TYPES),
    oneOf('call_events_role', t.role, SPEAKERS),
  ],
);

/** Where a clinic wants to hear about changes (its PMS): signed outbound webhooks. */
export const webhookEndpoints = sqliteTable(
  'webhook_endpoints',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    url: text('url').notNull(),
    description: text('description'),
    // Event types, or ["*"] for all.
    events: text('events', { mode: 'json' }).$type<string[]>().notNull().default(sql`'["*"]'`),
    // Sealed: the secret must be recoverable to sign each delivery.
    secretEncrypted: text('secret_encrypted').notNull(),
    // After a rotation the old secret still signs (as a second v1) until this instant.
    previousSecretEncrypted: text('previous_secret_encrypted'),
    previousSecretExpiresAt: integer('previous_secret_expires_at'),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    // Set when every attempt failed for days (or through the API): no events are queued for it
    // until a PATCH enables it again.
    disabledAt: integer('disabled_at'),
    disabledReason: text('disabled_reason'),
    // When the current run of failed attempts began; cleared by any 2xx.
    failingSince: integer('failing_since'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('webhook_endpoints_tenant').on(t.tenantId)],
);

/** The outbox: one row per event and endpoint, written in the same unit as the change it reports. */
export const webhookDeliveries = sqliteTable(
  'webhook_deliveries',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    endpointId: text('endpoint_id').notNull(),
    eventId: text('event_id').notNull(),
    eventType: text('event_type').notNull(),
    payload: text('payload').notNull(),
    status: text('status', { enum: DELIVERY_STATUSES }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    createdAt: integer('created_at').notNull(),
    deliveredAt: integer('delivered_at'),
  },
  (t) => [
    index('webhook_deliveries_due').on(t.status, t.nextAttemptAt),
    index('webhook_deliveries_endpoint').on(t.tenantId, t.endpointId, t.createdAt),
    oneOf('webhook_deliveries_status', t.status, DELIVERY_STATUSES),
  ],
);

/**
 * Who read, exported or erased personal data, kept for the audit retention. The subject names the
 * data (a phone hash, an id), never a raw number.
 */
export const auditEvents = sqliteTable(
  'audit_events',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    actor: text('actor').notNull(), // 'key:<id>'
    action: text('action').notNull(), // patient.read | patient.exported | patient.erased | call.read
    subject: text('subject').notNull(), // 'patient:<hash>' | 'call:<id>'
    occurredAt: integer('occurred_at').notNull(),
  },
  // Listing and the per-clinic purge both walk a clinic's events by time.
  (t) => [index('audit_events_tenant').on(t.tenantId, t.occurredAt)],
);

/**
 * A message or callback request the voice agent took when a call could not end in a booking. The
 * caller's number only as its keyed hash and sealed (the clinic calls back), never in clear.
 */
export const callbackRequests = sqliteTable(
  'callback_requests',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    callId: text('call_id'),
    callerName: text('caller_name').notNull(),
    phoneHash: text('phone_hash'),
    phoneEncrypted: text('phone_encrypted'),
    reason: text('reason').notNull(),
    urgency: text('urgency', { enum: CALLBACK_URGENCIES }).notNull(),
    // The command that wrote it: the unit's outcome condition, as appointments' last_command_id.
    commandId: text('command_id').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    index('callback_requests_tenant_created').on(t.tenantId, t.createdAt),
    oneOf('callback_requests_urgency', t.urgency, CALLBACK_URGENCIES),
  ],
);

// Messages to patients (src/messaging). Settings as JSON, read by the enqueue statements in SQL.
export const messagingSettings = sqliteTable('messaging_settings', {
  tenantId: text('tenant_id')
    .primaryKey()
    .references(() => tenants.id),
  settings: text('settings', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/** One sender per clinic and channel: its provider, number and sealed credentials. */
export const messageSenders = sqliteTable(
  'message_senders',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    channel: text('channel', { enum: MESSAGE_CHANNELS }).notNull(),
    provider: text('provider', { enum: MESSAGE_PROVIDERS }).notNull(),
    // E.164 (or a Twilio Messaging Service SID) the patient sees the message from.
    fromNumber: text('from_number').notNull(),
    // Sealed with AES-GCM (bound to tenant and sender id): needed in clear to send and to verify.
    credentialsEncrypted: text('credentials_encrypted').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('message_senders_channel').on(t.tenantId, t.channel),
    oneOf('message_senders_channel_word', t.channel, MESSAGE_CHANNELS),
    oneOf('message_senders_provider', t.provider, MESSAGE_PROVIDERS),
  ],
);

/**
 * The message outbox: one row per message, queued in the change's own atomic unit (or by the
 * reminder job). No number and no body are kept: the sender reads the appointment's sealed number
 * and renders the template when it sends; the row keeps the hash and a masked form for the API.
 */
export const messages = sqliteTable(
  'messages',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    appointmentId: text('appointment_id').notNull(),
    kind: text('kind', { enum: MESSAGE_KINDS }).notNull(),
    // Once per (clinic, key): a change's command id, or a reminder's appointment and start.
    dedupeKey: text('dedupe_key').notNull(),
    status: text('status', { enum: MESSAGE_STATUSES }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    // Due time while queued; a runner holding it pushes it ahead (the lease).
    nextAttemptAt: integer('next_attempt_at').notNull(),
    // A reminder is pointless once the appointment starts: skipped after this.
    expiresAt: integer('expires_at'),
    channel: text('channel', { enum: MESSAGE_CHANNELS }),
    provider: text('provider', { enum: MESSAGE_PROVIDERS }),
    senderId: text('sender_id'),
    providerMessageId: text('provider_message_id'),
    phoneHash: text('phone_hash'),
    toMasked: text('to_masked'),
    segments: integer('segments'),
    encoding: text('encoding'),
    lastError: text('last_error'),
    createdAt: integer('created_at').notNull(),
    sentAt: integer('sent_at'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('messages_dedupe').on(t.tenantId, t.dedupeKey),
    index('messages_due').on(t.status, t.nextAttemptAt),
    // One clinic's due messages (dueMessages for the kick after its write), whatever other clinics hold.
    index('messages_clinic_due').on(t.status, t.tenantId, t.nextAttemptAt),
    index('messages_tenant_created').on(t.tenantId, t.createdAt),
    index('messages_provider_id').on(t.senderId, t.providerMessageId),
    // The daily cap counts a patient's messages handed to the provider on the clinic's day.
    index('messages_patient_sent').on(t.tenantId, t.phoneHash, t.sentAt),
    oneOf('messages_kind', t.kind, MESSAGE_KINDS),
    oneOf('messages_status', t.status, MESSAGE_STATUSES),
  ],
);

/** A patient's choice per clinic, by phone hash: opted out (STOP/PARAR) or back in (START). */
export const messageConsent = sqliteTable(
  'message_consent',
  {
    tenantId: text('tenant_id').notNull(),
    phoneHash: text('phone_hash').notNull(),
    optedOut: integer('opted_out', { mode: 'boolean' }).notNull(),
    keyword: text('keyword').notNull(),
    changedAt: integer('changed_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.phoneHash] })],
);

/**
 * A service's triage: the questions a patient answers before the visit, and whether its bookings get
 * the triage link without being asked (src/booking/triage.ts). One row per service that has any.
 */
export const serviceTriage = sqliteTable(
  'service_triage',
  {
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    serviceId: text('service_id')
      .notNull()
      .references(() => services.id),
    // Read by the enqueue statement in the booking's own unit (src/db/messages.ts).
    sendOnBooking: integer('send_on_booking', { mode: 'boolean' }).notNull(),
    questions: text('questions', { mode: 'json' }).$type<TriageQuestion[]>().notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.serviceId] })],
);

/**
 * A patient's triage answers, once per appointment (the primary key refuses a second submission),
 * kept with the questions as they were asked. Health data: erased with the appointment's patient.
 */
export const triageAnswers = sqliteTable(
  'triage_answers',
  {
    tenantId: text('tenant_id').notNull(),
    appointmentId: text('appointment_id').notNull(),
    answers: text('answers', { mode: 'json' }).$type<TriageAnswer[]>().notNull(),
    // Which submission was kept: the unit's condition for its webhook event and its answer.
    submissionId: text('submission_id').notNull(),
    submittedAt: integer('submitted_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.appointmentId] })],
);

/** A patient's rating of an attended visit, once per appointment. */
export const visitFeedback = sqliteTable(
  'visit_feedback',
  {
    tenantId: text('tenant_id').notNull(),
    appointmentId: text('appointment_id').notNull(),
    rating: integer('rating').notNull(),
    comment: text('comment'),
    submissionId: text('submission_id').notNull(),
    submittedAt: integer('submitted_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.appointmentId] }),
    check('visit_feedback_rating', sql`${col(t.rating)} BETWEEN 1 AND 5`),
  ],
);

/**
 * How many times each clinic's cached configuration changed, one counter per cache, so a change
 * empties only its own: `access` (its API keys and its tenants row: what authenticates a REST
 * request), `integrations` (its voice integrations) and `catalog` (services, professionals and who
 * provides what). Only SQLite triggers write it (drizzle/0020_clinic_versions.sql), on every
 * insert, update and delete of those tables, whoever the writer (this process, another one on the
 * same file, the CLI, raw SQL, a migration); an API key's last-use touch is left out, since nothing
 * cached depends on it and it would empty the cache once a minute per key. A missing row reads as 0;
 * a counter only grows (a rolled-back write takes its bump with it). The caches that trust it:
 * src/db/versioned-cache.ts. No foreign key: the triggers write it before or after the rows they
 * count, in whatever order a unit touches them.
 */
export const clinicVersions = sqliteTable('clinic_versions', {
  tenantId: text('tenant_id').primaryKey(),
  access: integer('access').notNull().default(0),
  integrations: integer('integrations').notNull().default(0),
  catalog: integer('catalog').notNull().default(0),
});
