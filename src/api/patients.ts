// /v1/patients: search by name, and a patient's appointments by phone hash.
import { createRoute, z } from '@hono/zod-openapi';
import { findPatients, getPatient } from '../booking/patients.js';
import { requireScope } from '../http/middleware.js';
import { createRouter } from '../http/router.js';
import { AppointmentSchema } from './schemas/appointment.js';
import { errorResponses, jsonContent } from './schemas/common.js';

const PatientSummarySchema = z
  .object({
    patientPhoneHash: z.string(),
    name: z.string().openapi({ example: 'Maria Silva', description: 'The name given on the latest booking' }),
    appointmentCount: z.number().int(),
    firstSeenAt: z.string().openapi({ format: 'date-time' }),
    lastAppointmentAt: z
      .string()
      .openapi({ format: 'date-time', description: 'Start of the latest appointment' }),
  })
  .openapi('PatientSummary');

const PatientSchema = z
  .object({ patientPhoneHash: z.string(), name: z.string(), appointments: z.array(AppointmentSchema) })
  .openapi('Patient');

const listRoute = createRoute({
  method: 'get',
  path: '/v1/patients',
  tags: ['Patients'],
  summary: 'Search patients by name',
  description: 'Accent- and case-insensitive ("joao" finds "João"). Patients are derived from appointments.',
  middleware: [requireScope('appointments:read')],
  request: {
    query: z.object({
      search: z.string().max(100).default(''),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    }),
  },
  responses: {
    200: jsonContent(z.object({ items: z.array(PatientSummarySchema) }), 'Matching patients'),
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
  request: { params: z.object({ hash: z.string().openapi({ param: { name: 'hash', in: 'path' } }) }) },
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
