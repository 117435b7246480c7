// Shapes of the operator's API (/admin/v1): provisioning clinics and their keys.
import { z } from '@hono/zod-openapi';
import { SCOPES } from '../../accounts/scopes.js';
import { timeZoneSchema } from '../../accounts/tenant-config.js';
import { SPECIALTIES, TENANT_STATUSES } from '../../accounts/tenants.js';
import { ApiKeySchema } from './api-key.js';
import { cursorParam, IdParam, limitParam, text } from './common.js';
import { TenantSchema } from './tenant.js';

export const ADMIN_TAG = 'Admin';

const live = z.boolean().optional().openapi({
  description: 'true: a live key (miv_live_, the clinic itself); default a test key (miv_test_, its sandbox)',
});

export const ClinicCreateSchema = z
  .object({
    name: text(200).openapi({ example: 'Clínica Sorriso' }),
    timezone: timeZoneSchema,
    country: z
      .string()
      .regex(/^[A-Za-z]{2}$/, 'ISO 3166-1 alpha-2 code, e.g. PT')
      .openapi({ example: 'PT' }),
    specialty: z.enum(SPECIALTIES).optional(),
    status: z.enum(TENANT_STATUSES).optional().openapi({ description: 'Default trial (14 days)' }),
    live,
  })
  .strict()
  .openapi('ClinicCreate');

export const ClinicCreatedSchema = z
  .object({
    tenant: TenantSchema,
    apiKey: z
      .string()
      .nullable()
      .openapi({
        description:
          'The first key (every scope, `*`), shown only in this answer. null in a replay under the same ' +
          'Idempotency-Key: the secret is never stored, so a lost answer means minting another key.',
      }),
    key: ApiKeySchema,
  })
  .openapi('ClinicCreated');

export const ClinicStatusPatchSchema = z
  .object({
    status: z.enum(TENANT_STATUSES).openapi({
      description:
        '`canceled` suspends the clinic (its keys get 403 tenant_inactive); the others let it work',
    }),
  })
  .strict()
  .openapi('ClinicStatusPatch');

const GrantSchema = z.enum(['*', ...SCOPES]);

export const AdminKeyCreateSchema = z
  .object({
    scopes: z
      .array(GrantSchema)
      .min(1)
      .max(SCOPES.length + 1),
    live,
    name: text(100).nullable().optional(),
    expiresInDays: z.number().int().min(1).max(3650).optional().openapi({ description: 'Default 365' }),
  })
  .strict()
  .openapi('AdminKeyCreate');

export const ClinicPageSchema = z.object({ items: z.array(TenantSchema), nextCursor: z.string().nullable() });

/** A clinic's id and one of its keys' ids in the path. */
export const TenantKeyParams = IdParam.extend({
  keyId: z.string().openapi({ param: { name: 'keyId', in: 'path' }, format: 'uuid' }),
});

export const AdminIdempotencyHeader = z.object({
  'idempotency-key': z
    .string()
    .optional()
    .openapi({
      param: { name: 'idempotency-key', in: 'header' },
      description:
        'Retry-safe identifier (1–255 visible ASCII characters), kept 24 hours: a retry with the same key ' +
        'and body makes no second clinic and replays the first answer (with `apiKey: null`) and ' +
        '`Idempotent-Replayed: true`; the same key with another body is 422 idempotency_key_reused.',
      example: 'provision-clinica-sorriso',
    }),
});

export const ClinicPageQuery = z.object({ limit: limitParam, cursor: cursorParam });
