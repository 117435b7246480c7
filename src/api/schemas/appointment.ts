// The Appointment resource: the create body and response of docs/mivicall-contract.md, plus list filters.
import { z } from '@hono/zod-openapi';
import { APPOINTMENT_SOURCES, APPOINTMENT_STATUSES } from '../../booking/appointment-view.js';
import { CONFIRMATION_CHANNELS } from '../../domain/source.js';
import { parseInstant } from '../../domain/time.js';
import { cursorParam, limitParam, metadataSchema, text, timestamp } from './common.js';

// Notes and reasons: may be empty, keep their spacing and line breaks.
const notes = (max: number) => text(max, { min: 0, trim: false, multiline: true });

export const AppointmentSchema = z
  .object({
    id: z.string().openapi({ format: 'uuid' }),
    professionalId: z.string().openapi({ format: 'uuid' }),
    patientName: z.string().openapi({ example: 'Maria Silva' }),
    startsAt: timestamp(),
    endsAt: timestamp('2026-05-14T10:30:00+01:00'),
    status: z.enum(APPOINTMENT_STATUSES),
    source: z.enum(APPOINTMENT_SOURCES),
    serviceTypeId: z.string().nullable().openapi({ format: 'uuid' }),
    patientPhoneHash: z.string().openapi({
      description: 'Keyed, versioned HMAC-SHA256 of the E.164 phone (the number itself is never returned)',
      example: 'v1:5d41402abc4b2a76b9719d911017c592ae2f7c1b0b1e1e6b0b1e1e6b0b1e1e6b',
    }),
    patientNotes: z.string().nullable(),
    metadata: z.record(z.string(), z.unknown()),
    cancellationReason: z.string().nullable(),
    callId: z.string().nullable().openapi({ description: 'The voice call that made or changed it, if any' }),
    confirmation: z
      .object({
        confirmedAt: timestamp(),
        confirmedBy: z.string().openapi({ description: 'Who confirmed it, as in the history (`key:<id>`…)' }),
        channel: z.enum(CONFIRMATION_CHANNELS).openapi({
          description:
            "The source of the door it came through, or the patient's own link (`patient_link`) or reply " +
            '(`sms_reply`, `whatsapp_reply`)',
        }),
      })
      .nullable()
      .openapi({
        description:
          'Whether, when, by whom and through which channel the appointment was confirmed by staff or the ' +
          'patient (null: not yet). `status` is unaffected: a booked appointment is `confirmed` either way.',
      }),
    createdAt: timestamp(),
    updatedAt: timestamp(),
  })
  .openapi('Appointment');

/** An ISO 8601 date-time with an offset, parsed to epoch milliseconds. */
export const instantParam = (description: string) =>
  z
    .string()
    .openapi({ format: 'date-time', description, example: '2026-05-14T10:00:00+01:00' })
    .transform((text, ctx) => {
      const ms = parseInstant(text);
      if (ms === null) {
        ctx.addIssue({
          code: 'custom',
          message: 'Must be an ISO 8601 date-time with an offset, e.g. 2026-05-14T10:00:00+01:00',
        });
        return z.NEVER;
      }
      return ms;
    });

export const AppointmentCreateSchema = z
  .object({
    professionalId: z.string().openapi({ format: 'uuid' }),
    serviceTypeId: z.string().openapi({ format: 'uuid' }),
    patientName: text(200).openapi({ example: 'Maria Silva' }),
    patientPhone: z
      .string()
      .regex(/^\+[1-9]\d{1,14}$/, 'Must be E.164: a + then the country code and number, no spaces')
      .openapi({
        example: '+351912345678',
        description: 'E.164; validated as a real number, stored only encrypted',
      }),
    startsAt: instantParam('Start, ISO 8601 with offset; must be in the future'),
    patientNotes: notes(2000).nullable().optional(),
    metadata: metadataSchema.optional(),
    source: z.enum(APPOINTMENT_SOURCES).optional().openapi({
      description: '`manual` (default) or `sync_external`; voice_ai and self_service belong to their doors',
    }),
  })
  .strict()
  .openapi('AppointmentCreate');

const statusList = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).filter(Boolean))
  .pipe(z.array(z.enum(APPOINTMENT_STATUSES)));

export const AppointmentListQuery = z.object({
  from: instantParam('Start of the window, inclusive').optional(),
  to: instantParam('End of the window, exclusive').optional(),
  professionalId: z.string().optional(),
  serviceTypeId: z.string().optional(),
  status: statusList.optional().openapi({ description: 'Repeatable (status=a&status=b) or comma-separated' }),
  source: z.enum(APPOINTMENT_SOURCES).optional(),
  patientPhone: z.string().optional().openapi({ description: "Patient's E.164 phone; matched by its hash" }),
  updatedSince: instantParam('Only appointments changed at or after this instant (for sync)').optional(),
  limit: limitParam,
  cursor: cursorParam,
});

export const AppointmentListSchema = z
  .object({
    items: z.array(AppointmentSchema),
    nextCursor: z
      .string()
      .nullable()
      .openapi({ description: 'Pass as cursor for the next page; null at the end' }),
  })
  .openapi('AppointmentList');

export const AppointmentPatchSchema = z
  .object({
    status: z.enum(APPOINTMENT_STATUSES).optional().openapi({
      description:
        'confirmed/rescheduled → attended | no_show | cancelled | rescheduled; the others are final',
    }),
    patientNotes: notes(2000).nullable().optional(),
    metadata: metadataSchema
      .optional()
      .openapi({ description: 'Merged into the stored metadata; null removes a key' }),
    cancellationReason: notes(500).nullable().optional(),
    startsAt: instantParam('New start: reschedules in place (same id, status rescheduled)').optional(),
    professionalId: z
      .string()
      .optional()
      .openapi({ description: 'Move to another professional (with startsAt)' }),
    serviceTypeId: z.string().optional().openapi({ description: 'Change the service (with startsAt)' }),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'Send at least one field to change')
  .refine(
    (b) => b.startsAt !== undefined || (b.professionalId === undefined && b.serviceTypeId === undefined),
    {
      message: 'professionalId and serviceTypeId change only together with a new startsAt',
      path: ['startsAt'],
    },
  )
  .openapi('AppointmentPatch');

export const RescheduleSchema = z
  .object({
    startsAt: instantParam('New start'),
    professionalId: z.string().optional(),
    serviceTypeId: z.string().optional(),
  })
  .strict()
  .openapi('AppointmentReschedule');

export const CancelSchema = z
  .object({ reason: notes(500).optional().openapi({ example: 'Patient asked to cancel' }) })
  .strict()
  .openapi('AppointmentCancel');

export const HistoryEntrySchema = z
  .object({
    id: z.string(),
    action: z.string().openapi({ example: 'rescheduled' }),
    actor: z.string().openapi({
      description: '`key:<api key id>`, `voice:<platform>`, `self_service` or `system:no_show`',
      example: 'key:1f0c…',
    }),
    changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })),
    occurredAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('AppointmentHistoryEntry');

export const ConflictsQuery = z.object({
  professionalId: z.string(),
  startsAt: instantParam('Start of the time to check'),
  durationMinutes: z.coerce
    .number()
    .int()
    .min(1)
    .max(720)
    .optional()
    .openapi({ description: 'Default 30, or the service duration' }),
  serviceTypeId: z.string().optional().openapi({ description: "Use this service's duration and buffer" }),
  excludeId: z.string().optional().openapi({ description: 'Ignore this appointment (when moving it)' }),
});

export const ConflictsSchema = z
  .object({ hasConflicts: z.boolean(), conflicts: z.array(AppointmentSchema) })
  .openapi('AppointmentConflicts');
