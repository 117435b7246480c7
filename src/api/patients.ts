// /v1/patients: search by name, and a patient's appointments by phone hash.
import { createRoute } from '@hono/zod-openapi';
import { findPatients, getPatient } from '../booking/patients.js';
import { requireScope } from '../http/middleware.js';
import { createRouter } from '../http/router.js';
import { errorResponses, jsonContent } from './schemas/common.js';
import { PatientHashParam, PatientListSchema, PatientSchema, PatientSearchQuery } from './schemas/patient.js';

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

export const patientRoutes = createRouter()
  .openapi(listRoute, async (c) => {
    const { search, limit } = c.req.valid('query');
    return c.json({ items: await findPatients(c.var.deps, c.var.credential.tenant, search, limit) }, 200);
  })
  .openapi(getRoute, async (c) =>
    c.json(await getPatient(c.var.deps, c.var.credential.tenant, c.req.valid('param').hash), 200),
  );
