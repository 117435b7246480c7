// The shapes of a patient's export and erasure, and of audit events, as the OpenAPI reference shows them.
import { z } from '@hono/zod-openapi';
import { AUDIT_ACTIONS } from '../../booking/audit.js';
import { AppointmentSchema } from './appointment.js';
import { MessageSchema } from './messages.js';

const instant = z.string().openapi({ format: 'date-time' });
const optionalInstant = instant.nullable();

const HistorySchema = z.object({
  action: z.string().openapi({ example: 'rescheduled' }),
  actor: z.string().openapi({ example: 'key:0b6f…' }),
  changes: z.record(z.string(), z.unknown()).openapi({ description: '{field: {from, to}}' }),
  occurredAt: instant,
});

const ExportedCallSchema = z.object({
  id: z.string(),
  platform: z.string(),
  externalCallId: z.string(),
  fromNumberHash: z
    .string()
    .nullable()
    .openapi({ description: "The caller's phone hash (the number itself is never exported)" }),
  toNumber: z.string().nullable().openapi({ description: "The clinic's number that was called" }),
  status: z.string(),
  outcome: z.string().nullable(),
  endedReason: z.string().nullable(),
  startedAt: instant,
  endedAt: optionalInstant,
  durationSeconds: z.number().nullable(),
  // Never the platform's own URL: GET /v1/calls/{id}/recording hands out a link valid 24 h.
  hasRecording: z.boolean(),
  metadata: z.record(z.string(), z.unknown()),
  events: z.array(
    z.object({
      id: z.string(),
      eventType: z.string().openapi({ example: 'speech' }),
      role: z.string().nullable(),
      transcript: z.string().nullable(),
      toolName: z.string().nullable(),
      toolInput: z.unknown(),
      toolOutput: z.unknown(),
      occurredAt: instant,
    }),
  ),
});

export const PatientExportSchema = z
  .object({
    patientPhoneHash: z.string(),
    exportedAt: instant,
    appointments: z.array(AppointmentSchema.extend({ history: z.array(HistorySchema) })),
    calls: z.array(ExportedCallSchema).openapi({
      description: 'Calls from this number, and calls in which one of these appointments was booked',
    }),
    webhookDeliveries: z
      .array(
        z.object({
          id: z.string(),
          endpointId: z.string(),
          eventId: z.string(),
          eventType: z.string(),
          status: z.string(),
          attempts: z.number().int(),
          createdAt: instant,
          deliveredAt: optionalInstant,
          payload: z.unknown().openapi({ description: 'The event as it was (or will be) sent' }),
        }),
      )
      .openapi({
        description: "Webhook events about these appointments or this patient sent to the clinic's systems",
      }),
    messages: z.array(MessageSchema).openapi({
      description: 'Messages about these appointments or to this number (their text is never kept)',
    }),
  })
  .openapi('PatientExport');

export const ErasureSchema = z
  .object({
    patientPhoneHash: z.string(),
    status: z.enum(['erased', 'already_erased']).openapi({
      description:
        '`already_erased`: an earlier (or concurrent) erasure left nothing to erase; nothing changed',
    }),
    appointments: z.number().int().openapi({ description: 'Appointments whose personal fields were erased' }),
    calls: z.number().int().openapi({ description: 'Calls whose transcripts and tool inputs were erased' }),
  })
  .openapi('PatientErasure');

export const AuditEventSchema = z
  .object({
    id: z.string(),
    actor: z.string().openapi({ example: 'key:0b6f…', description: 'The API key that acted' }),
    action: z.enum(AUDIT_ACTIONS),
    subject: z
      .string()
      .openapi({ example: 'patient:v1:3f…', description: '`patient:<phone hash>` or `call:<id>`' }),
    occurredAt: instant,
  })
  .openapi('AuditEvent');
