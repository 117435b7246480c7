// /v1/patients: search by name, a patient's appointments by phone hash, and the patient's data
// rights (export, erase), each behind its own scope.
import { createRoute, type z } from '@hono/zod-openapi';
import { commandContext } from '../booking/context.js';
import { type ErasureResult, erasePatient, exportPatient } from '../booking/patient-rights.js';
import { findPatients, getPatient } from '../booking/patients.js';
import { sendRecorded } from '../http/answer.js';
import { requireScope } from '../http/middleware.js';
import { createRouter } from '../http/router.js';
import { auditRoutes } from './audit.js';
import { errorResponses, IdempotencyHeader, jsonContent, writeErrorResponses } from './schemas/common.js';
import { PatientHashParam, PatientListSchema, PatientSchema, PatientSearchQuery } from './schemas/patient.js';
import { ErasureSchema, PatientExportSchema } from './schemas/patient-rights.js';

const listRoute = createRoute({
  method: 'get',
  path: '/v1/patients',
  tags: ['Patients'],
  summary: 'Search patients by name',
  description: 'Accent- and case-insensitive ("joao" finds "João"). Patients are derived from appointments.',
  middleware: [requireScope('appointments:read')],
  request: { query: PatientSearchQuery },
  responses: {
    200: jsonContent(PatientListSchema, 'Matching patients'),
    ...errorResponses(422),
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/v1/patients/{hash}',
  tags: ['Patients'],
  summary: "A patient's appointments",
  description: 'By the patientPhoneHash the API returns on appointments; latest first (up to 200).',
  middleware: [requireScope('appointments:read')],
  request: { params: PatientHashParam },
  responses: { 200: jsonContent(PatientSchema, 'The patient'), ...errorResponses(404) },
});

const exportRoute = createRoute({
  method: 'get',
  path: '/v1/patients/{hash}/export',
  tags: ['Patients'],
  summary: 'Export everything held about a patient (GDPR art. 15, 20)',
  description:
    'Appointments with their history, calls from this number (or that booked these appointments) with ' +
    'their events, and the webhook events about them, as JSON. Numbers appear only as hashes. Needs the ' +
    '`patients:export` scope by name (`*` does not grant it); each export is recorded in the audit log.',
  middleware: [requireScope('patients:export')],
  request: { params: PatientHashParam },
  responses: { 200: jsonContent(PatientExportSchema, "The patient's data"), ...errorResponses(404, 422) },
});

const eraseRoute = createRoute({
  method: 'post',
  path: '/v1/patients/{hash}/erase',
  tags: ['Patients'],
  summary: "Erase a patient's personal data (GDPR art. 17)",
  description:
    'Anonymises the name, sealed phone number, notes, cancellation reasons and metadata of their ' +
    "appointments (and those fields in their history and webhook log), their calls' transcripts and " +
    "tool inputs, and the caller's sealed number. Rows stay, so the diary and statistics stay true; the " +
    'hash is replaced, so a later booking from the same number starts a new patient. Emits ' +
    '`patient.erased` to webhooks once, and records the erasure in the audit log. Repeating it answers ' +
    '`already_erased` and changes nothing. Needs the `patients:erase` scope by name (`*` does not grant it).',
  middleware: [requireScope('patients:erase')],
  request: { params: PatientHashParam, headers: IdempotencyHeader },
  responses: { 200: jsonContent(ErasureSchema, 'Erased, or already erased'), ...writeErrorResponses(404) },
});

export const patientRoutes = createRouter()
  .openapi(listRoute, async (c) => {
    const { search, limit } = c.req.valid('query');
    return c.json({ items: await findPatients(c.var.deps, c.var.credential.tenant, search, limit) }, 200);
  })
  .openapi(getRoute, async (c) => {
    const { tenant, keyId } = c.var.credential;
    return c.json(await getPatient(c.var.deps, tenant, c.req.valid('param').hash, `key:${keyId}`), 200);
  })
  .openapi(exportRoute, async (c) => {
    const { tenant, keyId } = c.var.credential;
    return c.json(await exportPatient(c.var.deps, tenant, c.req.valid('param').hash, `key:${keyId}`), 200);
  })
  .openapi(eraseRoute, async (c) => {
    const { credential, deps } = c.var;
    const ctx = await commandContext<ErasureResult>({
      deps,
      tenant: credential.tenant,
      actor: `key:${credential.keyId}`,
      source: 'manual',
      // Always a 200: a repeat answers `already_erased`; a retry with the key replays these bytes.
      answer: (erasure) => ({ status: 200, body: JSON.stringify(erasure), location: null }),
      key: {
        value: c.req.header('idempotency-key'),
        scope: `key:${credential.keyId}`,
        operation: `${c.req.method} ${c.req.path}`,
        input: null,
      },
    });
    return sendRecorded<z.infer<typeof ErasureSchema>>(c, await erasePatient(ctx, c.req.valid('param').hash));
  })
  .route('/', auditRoutes);
