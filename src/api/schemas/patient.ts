// Patients, derived from appointments and named by their phone hash (never a raw number).
import { z } from '@hono/zod-openapi';
import { AppointmentSchema } from './appointment.js';

export const PatientSummarySchema = z
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

export const PatientSchema = z
  .object({ patientPhoneHash: z.string(), name: z.string(), appointments: z.array(AppointmentSchema) })
  .openapi('Patient');

export const PatientSearchQuery = z.object({
  search: z.string().max(100).default(''),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const PatientListSchema = z.object({ items: z.array(PatientSummarySchema) });

export const PatientHashParam = z.object({
  hash: z.string().openapi({ param: { name: 'hash', in: 'path' } }),
});
