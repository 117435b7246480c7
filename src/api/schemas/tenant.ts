// The Tenant resource as Mivicall documents it.
import { z } from '@hono/zod-openapi';
import { tenantConfigPatchSchema, tenantConfigSchema } from '../../accounts/tenant-config.js';
import { SPECIALTIES, TENANT_STATUSES, type Tenant } from '../../accounts/tenants.js';
import { renderInstant, renderOptionalInstant } from '../../domain/time.js';
import { text, timestamp } from './common.js';

export const TenantSchema = z
  .object({
    id: z.string().openapi({ format: 'uuid' }),
    name: z.string().openapi({ example: 'Clínica Sorriso' }),
    legalName: z.string().nullable(),
    specialty: z.enum(SPECIALTIES),
    status: z.enum(TENANT_STATUSES),
    nif: z.string().nullable().openapi({ example: '506332014' }),
    address: z.string().nullable(),
    postalCode: z.string().nullable(),
    city: z.string().nullable().openapi({ example: 'Lisboa' }),
    country: z.string().openapi({ example: 'PT' }),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    publicSlug: z.string().nullable().openapi({ example: 'clinica-sorriso' }),
    publicBookingEnabled: z.boolean(),
    plan: z.string().openapi({ example: 'basic' }),
    trialEndsAt: timestamp().nullable(),
    config: tenantConfigSchema,
    livemode: z.boolean().openapi({
      description: "false for a clinic's sandbox, the tenant its test keys (miv_test_) reach",
    }),
    createdAt: timestamp(),
    updatedAt: timestamp(),
  })
  .openapi('Tenant');

const optionalText = (max: number) => text(max).nullable().optional();

export const TenantPatchSchema = z
  .object({
    name: text(200).optional(),
    legalName: optionalText(200),
    specialty: z.enum(SPECIALTIES).optional(),
    nif: optionalText(20),
    address: optionalText(300),
    postalCode: optionalText(20),
    city: optionalText(100),
    country: z
      .string()
      .regex(/^[A-Za-z]{2}$/, 'ISO 3166-1 alpha-2 code, e.g. PT')
      .optional(),
    email: z.email().max(200).nullable().optional(),
    phone: optionalText(30),
    publicSlug: z
      .string()
      .regex(/^[a-z0-9](?:[a-z0-9-]{1,58}[a-z0-9])$/, 'Lowercase letters, digits and dashes (3–60)')
      .nullable()
      .optional(),
    publicBookingEnabled: z.boolean().optional(),
    config: tenantConfigPatchSchema.optional(),
  })
  .strict()
  .openapi('TenantPatch');

export const renderTenant = (t: Tenant): z.infer<typeof TenantSchema> => {
  const zone = t.config.timezone;
  return {
    id: t.id,
    name: t.name,
    legalName: t.legalName,
    specialty: t.specialty as (typeof SPECIALTIES)[number],
    status: t.status as (typeof TENANT_STATUSES)[number],
    nif: t.nif,
    address: t.address,
    postalCode: t.postalCode,
    city: t.city,
    country: t.country,
    email: t.email,
    phone: t.phone,
    publicSlug: t.publicSlug,
    publicBookingEnabled: t.publicBookingEnabled,
    plan: t.plan,
    trialEndsAt: renderOptionalInstant(t.trialEndsAt, zone),
    config: t.config,
    livemode: t.sandboxOf === null,
    createdAt: renderInstant(t.createdAt, zone),
    updatedAt: renderInstant(t.updatedAt, zone),
  };
};
