// The shapes of Voki's appointments API as its reference shows them: snake_case, `{"data": …}`,
// `{"data": [...], "meta": {...}}` for lists, instants as UTC `Z` strings, Ecto-style errors.
import { z } from '@hono/zod-openapi';
import { MAX_SERVICE_MINUTES } from '../domain/service-caps.js';
import { unsafeCharacter, unsafeTextMessage } from '../domain/text.js';
import { parseInstant } from '../domain/time.js';

export const VOKI_STATUSES = ['scheduled', 'confirmed', 'completed', 'cancelled', 'no_show'] as const;
export type VokiStatus = (typeof VOKI_STATUSES)[number];

export const VOKI_SORTS = ['scheduled_at', 'inserted_at', 'updated_at', 'title', 'status'] as const;
export type VokiSort = (typeof VOKI_SORTS)[number];

const text = (max: number, multiline = false) =>
  z
    .string()
    .trim()
    .min(1, "can't be blank")
    .max(max, `should be at most ${max} character(s)`)
    .superRefine((value, ctx) => {
      const character = unsafeCharacter(value, multiline);
      if (character) ctx.addIssue({ code: 'custom', message: unsafeTextMessage(character) });
    });

const id = (description: string) =>
  z.string().trim().min(1, "can't be blank").max(100).openapi({ format: 'uuid', description });

/** An ISO 8601 instant with `Z` or an offset, as epoch milliseconds. */
const instant = z
  .string()
  .openapi({ format: 'date-time', example: '2026-02-25T14:00:00Z' })
  .transform((value, ctx) => {
    const ms = parseInstant(value);
    if (ms === null) {
      ctx.addIssue({ code: 'custom', message: 'is invalid (ISO 8601 with Z or an offset)' });
      return z.NEVER;
    }
    return ms;
  });

const duration = z.coerce
  .number({ error: 'is invalid' })
  .int('is invalid')
  .min(1, 'must be greater than 0')
  .max(MAX_SERVICE_MINUTES, `must be less than or equal to ${MAX_SERVICE_MINUTES}`);

const email = z.email({ error: 'has invalid format' }).max(254);

const fields = {
  title: text(200).openapi({ example: 'Presentation meeting' }),
  description: text(2000, true).nullable().optional(),
  scheduled_at: instant,
  duration_minutes: duration
    .optional()
    .openapi({ type: 'integer', description: "Default: the service's duration (e.g. 30)", example: 45 }),
  department_id: id('Department (service) ID'),
  user_id: id('Agent (professional) ID; absent: the first free qualified professional').nullable().optional(),
  customer_id: id('Existing customer (patient) ID').nullable().optional(),
  customer_name: text(200).optional().openapi({ description: 'Required unless customer_id is given' }),
  customer_email: email.nullable().optional(),
  customer_phone: z
    .string()
    .max(40)
    .optional()
    .openapi({ description: 'Required unless customer_id is given (agendai knows patients by phone)' }),
  notes: text(2000, true).nullable().optional(),
};

export const VokiCreateBody = z
  .object({
    appointment: z.object(fields).openapi('VokiAppointmentCreate'),
  })
  .openapi('VokiAppointmentCreateBody');

export const VokiUpdateBody = z
  .object({
    appointment: z
      .object({
        title: fields.title.optional(),
        description: fields.description,
        scheduled_at: instant.optional(),
        duration_minutes: fields.duration_minutes,
        department_id: fields.department_id.optional(),
        user_id: id('Agent (professional) ID').optional(),
        customer_email: fields.customer_email,
        notes: fields.notes,
        // Who the appointment is for does not change; the same values are accepted (a full PUT).
        customer_id: fields.customer_id,
        customer_name: fields.customer_name,
        customer_phone: fields.customer_phone,
      })
      .openapi('VokiAppointmentUpdate'),
  })
  .openapi('VokiAppointmentUpdateBody');

export const VokiCancelBody = z
  .object({ reason: text(500, true).nullable().optional() })
  .openapi('VokiCancelBody');

export const VokiAppointment = z
  .object({
    id: z.string().openapi({ format: 'uuid' }),
    title: z.string(),
    description: z.string().nullable(),
    status: z.enum(VOKI_STATUSES),
    scheduled_at: z.string().openapi({ format: 'date-time', example: '2026-02-20T10:00:00Z' }),
    duration_minutes: z.number().int().openapi({ example: 30 }),
    department_id: z.string().nullable().openapi({ format: 'uuid' }),
    department_name: z.string().nullable().openapi({ example: 'Consulta' }),
    user_id: z.string().openapi({ format: 'uuid' }),
    user_name: z.string().openapi({ example: 'Dra. Ana Costa' }),
    customer_id: z
      .string()
      .openapi({ format: 'uuid', description: 'Stable per patient phone within the clinic' }),
    customer_name: z.string(),
    customer_email: z.string().nullable(),
    customer_phone: z.string().nullable().openapi({
      description:
        'Masked ("+351 ••• ••• 678") unless the key holds appointments:read_phone; null once the patient was erased',
    }),
    notes: z.string().nullable(),
    cancellation_reason: z.string().nullable(),
    confirmed_at: z.string().nullable().openapi({ format: 'date-time' }),
    inserted_at: z.string().openapi({ format: 'date-time' }),
    updated_at: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('VokiAppointment');
export type VokiAppointment = z.infer<typeof VokiAppointment>;

export const VokiAppointmentData = z.object({ data: VokiAppointment }).openapi('VokiAppointmentData');

export const VokiAppointmentList = z
  .object({
    data: z.array(VokiAppointment),
    meta: z.object({
      current_page: z.number().int(),
      page_size: z.number().int(),
      total_pages: z.number().int(),
      total_count: z.number().int(),
    }),
  })
  .openapi('VokiAppointmentList');

export const VokiConflicts = z
  .object({ data: z.object({ has_conflicts: z.boolean(), conflicts: z.array(VokiAppointment) }) })
  .openapi('VokiConflicts');

export const VokiError = z
  .object({
    errors: z.record(z.string(), z.union([z.string(), z.array(z.string())])).openapi({
      description:
        '422: `{"field": ["message"]}`; 400/401/403/404/409/413/415/429/500: `{"detail": "message"}`',
      example: { scheduled_at: ["can't be blank"] },
    }),
  })
  .openapi('VokiError');

/** A calendar date (clinic-local day) or an instant. */
const dateOrInstant = z.string().max(40).openapi({ example: '2026-02-18' });

export const VokiListQuery = z.object({
  page: z.coerce
    .number({ error: 'is invalid' })
    .int('is invalid')
    .min(1, 'must be greater than 0')
    .default(1),
  page_size: z.coerce
    .number({ error: 'is invalid' })
    .int('is invalid')
    .min(1, 'must be greater than 0')
    .max(100, 'must be less than or equal to 100')
    .default(20),
  sort_by: z.enum(VOKI_SORTS, { error: 'is invalid' }).default('scheduled_at'),
  sort_order: z.enum(['asc', 'desc'], { error: 'is invalid' }).default('asc'),
  status: z.enum(VOKI_STATUSES, { error: 'is invalid' }).optional(),
  date_from: dateOrInstant.optional(),
  date_to: dateOrInstant.optional(),
  user_id: z.string().max(100).optional(),
  department_id: z.string().max(100).optional(),
});

export const VokiConflictsQuery = z.object({
  user_id: id('Agent (professional) ID'),
  scheduled_at: instant,
  duration_minutes: duration.default(30).openapi({ type: 'integer' }),
  exclude_id: z.string().max(100).optional(),
});

export const VokiHeaders = z.object({
  'x-tenant': z
    .string()
    .optional()
    .openapi({
      param: { name: 'x-tenant', in: 'header' },
      description: "The clinic's public slug or id; when sent it must name the API key's clinic (else 403)",
    }),
});

export const VokiWriteHeaders = VokiHeaders.extend({
  'idempotency-key': z
    .string()
    .optional()
    .openapi({
      param: { name: 'idempotency-key', in: 'header' },
      description:
        'Retry-safe key (1–255 visible ASCII characters), kept 24 hours; a retry replays the answer',
    }),
});
