// Webhook endpoints: where the clinic's systems hear about appointment changes, and the deliveries.
import { z } from '@hono/zod-openapi';
import { CALLBACK_EVENTS } from '../../booking/callback-requests.js';
import { APPOINTMENT_EVENTS, PATIENT_FORM_EVENTS } from '../../booking/events.js';
import { PATIENT_EVENTS } from '../../booking/patient-rights.js';
import { DELIVERY_STATUSES } from '../../domain/vocabulary.js';
import { ENDPOINT_EVENTS } from '../../webhooks/health.js';
import { text } from './common.js';

const EVENT = z.enum([
  '*',
  ...APPOINTMENT_EVENTS,
  ...ENDPOINT_EVENTS,
  ...PATIENT_EVENTS,
  ...CALLBACK_EVENTS,
  ...PATIENT_FORM_EVENTS,
]);

export const EndpointSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    description: z.string().nullable(),
    events: z.array(z.string()).openapi({ example: ['appointment.created', 'appointment.cancelled'] }),
    active: z.boolean(),
    status: z.enum(['enabled', 'disabled']).openapi({
      description: 'disabled: no events are queued for it (every attempt failed for 3 days, or a PATCH)',
    }),
    disabledAt: z.string().nullable(),
    disabledReason: z.string().nullable(),
    previousSecretExpiresAt: z
      .string()
      .nullable()
      .openapi({ description: 'During a rotation: when the old secret stops signing' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('WebhookEndpoint');

export const EndpointListSchema = z.object({ items: z.array(EndpointSchema) });

export const EndpointWithSecretSchema = EndpointSchema.extend({
  secret: z.string().openapi({
    description:
      'Shown once. Verify each POST: header X-Agendai-Signature "t=<unix>,v1=<hex>[,v1=<hex>]" where hex = ' +
      'HMAC-SHA256(secret, "<t>.<raw body>"); accept if any v1 matches and t is within 5 minutes.',
  }),
}).openapi('WebhookEndpointWithSecret');

export const EndpointCreateSchema = z
  .object({
    url: z.string().max(2000).openapi({ example: 'https://pms.example.com/agendai/webhooks' }),
    events: z.array(EVENT).max(20).optional().openapi({ description: 'Default ["*"]: every event' }),
    description: text(300, { min: 0 }).nullable().optional(),
  })
  .strict()
  .openapi('WebhookEndpointCreate');

export const EndpointPatchSchema = EndpointCreateSchema.partial()
  .extend({
    active: z.boolean().optional(),
    status: z
      .enum(['enabled', 'disabled'])
      .optional()
      .openapi({ description: '"enabled" re-enables a disabled endpoint (and forgets its failures)' }),
  })
  .strict()
  .openapi('WebhookEndpointPatch');

export const DeliverySchema = z
  .object({
    id: z.string(),
    eventId: z.string(),
    eventType: z.string(),
    status: z.enum(DELIVERY_STATUSES).openapi({
      description: "`simulated`: a sandbox's event (test keys), recorded and never sent",
    }),
    attempts: z.number().int(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    nextAttemptAt: z.string().nullable(),
    createdAt: z.string(),
    deliveredAt: z.string().nullable(),
    event: z.unknown().openapi({
      description: 'For a `simulated` delivery, the event body that would have been sent; null otherwise',
    }),
  })
  .openapi('WebhookDelivery');

export const DeliveryListQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

export const DeliveryListSchema = z.object({ items: z.array(DeliverySchema) });
