// Professionals and services as the API shows them.
import { z } from '@hono/zod-openapi';
import type { CatalogRow } from '../../booking/catalog.js';
import { MAX_BUFFER_MINUTES, MAX_SERVICE_MINUTES } from '../../domain/service-caps.js';
import { renderInstant } from '../../domain/time.js';
import { externalIdSchema, text, timestamp } from './common.js';

const name = text(200);
const nullableText = (max: number, multiline = false) => text(max, { multiline }).nullable();

export const ProfessionalSchema = z
  .object({
    id: z.string().openapi({ format: 'uuid' }),
    name: z.string().openapi({ example: 'Dra. Ana Costa' }),
    specialty: z.string().nullable().openapi({ example: 'Ortodontia' }),
    email: z.string().nullable(),
    externalId: z.string().nullable(),
    active: z.boolean().openapi({ description: 'Inactive professionals take no new bookings' }),
    createdAt: timestamp(),
    updatedAt: timestamp(),
  })
  .openapi('Professional');

export const ProfessionalCreateSchema = z
  .object({
    name,
    specialty: nullableText(200).optional(),
    email: z.email().max(200).nullable().optional(),
    externalId: externalIdSchema.optional(),
    active: z.boolean().optional(),
  })
  .strict()
  .openapi('ProfessionalCreate');

export const ProfessionalPatchSchema = ProfessionalCreateSchema.partial()
  .strict()
  .openapi('ProfessionalPatch');

export const ServiceSchema = z
  .object({
    id: z.string().openapi({ format: 'uuid' }),
    name: z.string().openapi({ example: 'Consulta de rotina' }),
    description: z.string().nullable(),
    durationMinutes: z.number().int().openapi({ example: 30 }),
    bufferMinutes: z
      .number()
      .int()
      .openapi({ description: 'Time kept free after each appointment', example: 5 }),
    priceCents: z.number().int().nullable().openapi({ example: 4500 }),
    currency: z.string().openapi({ example: 'EUR' }),
    professionalIds: z
      .array(z.string())
      .openapi({ description: 'Who provides it; empty = every professional' }),
    externalId: z.string().nullable(),
    active: z.boolean(),
    createdAt: timestamp(),
    updatedAt: timestamp(),
  })
  .openapi('Service');

export const ServiceCreateSchema = z
  .object({
    name,
    description: nullableText(2000, true).optional(),
    durationMinutes: z.number().int().min(5).max(MAX_SERVICE_MINUTES),
    bufferMinutes: z.number().int().min(0).max(MAX_BUFFER_MINUTES).optional(),
    priceCents: z.number().int().min(0).max(100_000_000).nullable().optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'ISO 4217 code, e.g. EUR')
      .optional(),
    professionalIds: z
      .array(z.string())
      .max(200)
      .optional()
      .openapi({ description: 'Limit the service to these professionals (empty or absent: all)' }),
    externalId: externalIdSchema.optional(),
    active: z.boolean().optional(),
  })
  .strict()
  .openapi('ServiceCreate');

export const CatalogListQuery = z.object({
  active: z
    .enum(['true', 'false'])
    .optional()
    .openapi({ description: 'Only active (true) or inactive (false) ones' }),
});

export const ServicePatchSchema = ServiceCreateSchema.partial().strict().openapi('ServicePatch');

export const renderProfessional = (
  p: CatalogRow<'professional'>,
  zone: string,
): z.infer<typeof ProfessionalSchema> => ({
  id: p.id,
  name: p.name,
  specialty: p.specialty,
  email: p.email,
  externalId: p.externalId,
  active: p.active,
  createdAt: renderInstant(p.createdAt, zone),
  updatedAt: renderInstant(p.updatedAt, zone),
});

export const renderService = (s: CatalogRow<'service'>, zone: string): z.infer<typeof ServiceSchema> => ({
  id: s.id,
  name: s.name,
  description: s.description,
  durationMinutes: s.durationMinutes,
  bufferMinutes: s.bufferMinutes,
  priceCents: s.priceCents,
  currency: s.currency,
  professionalIds: s.professionalIds,
  externalId: s.externalId,
  active: s.active,
  createdAt: renderInstant(s.createdAt, zone),
  updatedAt: renderInstant(s.updatedAt, zone),
});
