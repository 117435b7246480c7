// The one schema history: these tables → `npm run db:generate` → SQL in drizzle/ → applied by the
// Node entry at start-up and by `wrangler d1 migrations apply` on D1.
// Instants are UTC epoch milliseconds; intervals are half-open [starts_at, ends_at).
import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const tenants = sqliteTable(
  'tenants',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    legalName: text('legal_name'),
    specialty: text('specialty').notNull().default('other'),
    status: text('status').notNull().default('trial'),
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
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('tenants_public_slug_unique').on(t.publicSlug)],
);

export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    name: text('name'),
    mode: text('mode').notNull(), // 'live' | 'test'
    // SHA-256 of the whole key: the key itself is shown once and never stored.
    keyHash: text('key_hash').notNull(),
    displayPrefix: text('display_prefix').notNull(),
    last4: text('last4').notNull(),
    scopes: text('scopes').notNull(), // JSON array
    expiresAt: integer('expires_at').notNull(),
    revokedAt: integer('revoked_at'),
    lastUsedAt: integer('last_used_at'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('api_keys_key_hash_unique').on(t.keyHash), index('api_keys_tenant').on(t.tenantId)],
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
    weeklySchedule: text('weekly_schedule').notNull().default('{}'),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    // Removed professionals stay as rows so past appointments keep their reference.
    deletedAt: integer('deleted_at'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('professionals_tenant').on(t.tenantId, t.name)],
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
    // JSON array of the professionals who provide it; [] means every professional does.
    professionalIds: text('professional_ids').notNull().default('[]'),
    externalId: text('external_id'),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    deletedAt: integer('deleted_at'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('services_tenant').on(t.tenantId, t.name)],
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
    startsAt: integer('starts_at').notNull(),
    endsAt: integer('ends_at').notNull(),
    // endsAt + the service's buffer: what the overlap rule compares against.
    blocksUntil: integer('blocks_until').notNull(),
    status: text('status').notNull(),
    source: text('source').notNull(),
    patientNotes: text('patient_notes'),
    metadata: text('metadata').notNull().default('{}'),
    cancellationReason: text('cancellation_reason'),
    callId: text('call_id'),
    // Optimistic concurrency: every change bumps version and stamps the command that made it.
    version: integer('version').notNull().default(1),
    lastCommandId: text('last_command_id').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    check('appointments_interval', sql`${t.endsAt} > ${t.startsAt} AND ${t.blocksUntil} >= ${t.endsAt}`),
    index('appointments_professional_start').on(t.tenantId, t.professionalId, t.startsAt),
    index('appointments_tenant_start').on(t.tenantId, t.startsAt),
    index('appointments_tenant_phone').on(t.tenantId, t.patientPhoneHash),
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
    kind: text('kind').notNull(), // 'time_off' | 'holiday' | 'extra_hours'
    startDate: text('start_date').notNull(), // local YYYY-MM-DD, inclusive
    endDate: text('end_date').notNull(), // local YYYY-MM-DD, inclusive
    startMinute: integer('start_minute'), // minutes after local midnight; null = the whole day
    endMinute: integer('end_minute'),
    reason: text('reason'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('schedule_exceptions_professional').on(t.tenantId, t.professionalId, t.startDate)],
);

export const appointmentHistory = sqliteTable(
  'appointment_history',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    appointmentId: text('appointment_id').notNull(),
    action: text('action').notNull(),
    actor: text('actor').notNull(), // 'key:<id>', 'voice:<platform>', 'self_service', 'system:no_show'
    changes: text('changes').notNull(), // JSON {field: {from, to}}
    occurredAt: integer('occurred_at').notNull(),
  },
  (t) => [index('appointment_history_appointment').on(t.tenantId, t.appointmentId, t.occurredAt)],
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
    platform: text('platform').notNull(), // vapi | retell | elevenlabs | openai | telnyx | twilio
    name: text('name'),
    // AES-GCM sealed JSON of the platform's secrets (they must be recoverable to verify signatures).
    credentialsEncrypted: text('credentials_encrypted').notNull(),
    phoneNumbers: text('phone_numbers').notNull().default('[]'), // JSON array of E.164 numbers
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('voice_integrations_tenant').on(t.tenantId)],
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
    platform: text('platform').notNull(),
    externalCallId: text('external_call_id').notNull(),
    // The caller's number only encrypted (+ its hash); the clinic's own number in clear.
    fromNumberEncrypted: text('from_number_encrypted'),
    fromNumberHash: text('from_number_hash'),
    toNumber: text('to_number'),
    status: text('status').notNull(), // in_progress | completed | failed
    outcome: text('outcome'),
    endedReason: text('ended_reason'),
    startedAt: integer('started_at').notNull(),
    endedAt: integer('ended_at'),
    durationSeconds: integer('duration_seconds'),
    transcriptionWordCount: integer('transcription_word_count'),
    recordingUrl: text('recording_url'),
    metadata: text('metadata').notNull().default('{}'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('calls_external').on(t.integrationId, t.externalCallId),
    index('calls_tenant_started').on(t.tenantId, t.startedAt),
  ],
);

export const callEvents = sqliteTable(
  'call_events',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    callId: text('call_id').notNull(),
    eventType: text('event_type').notNull(), // speech | tool_call | status
    role: text('role'), // caller | agent, for speech
    transcript: text('transcript'),
    toolName: text('tool_name'),
    toolInput: text('tool_input'),
    toolOutput: text('tool_output'),
    occurredAt: integer('occurred_at').notNull(),
  },
  (t) => [index('call_events_call').on(t.tenantId, t.callId, t.occurredAt)],
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
    events: text('events').notNull().default('["*"]'), // JSON array of event types, or ["*"]
    // Sealed: the secret must be recoverable to sign each delivery.
    secretEncrypted: text('secret_encrypted').notNull(),
    // After a rotation the old secret still signs (as a second v1) until this instant.
    previousSecretEncrypted: text('previous_secret_encrypted'),
    previousSecretExpiresAt: integer('previous_secret_expires_at'),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
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
    status: text('status').notNull(), // pending | delivered | failed
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
