// The API key resource: what a key is (never its secret, except once in the answer that makes it).
import { z } from '@hono/zod-openapi';
import type { ApiKeyView } from '../../accounts/api-keys.js';
import { SCOPES } from '../../accounts/scopes.js';
import { renderInstant, renderOptionalInstant } from '../../domain/time.js';
import { text, timestamp } from './common.js';

const GrantSchema = z.enum(['*', ...SCOPES]);

export const ApiKeySchema = z
  .object({
    id: z.string().openapi({ format: 'uuid' }),
    tenantId: z.string().openapi({
      format: 'uuid',
      description: "The tenant the key reaches: for a test key, the clinic's sandbox",
    }),
    name: z.string().nullable(),
    mode: z.enum(['live', 'test']),
    displayKey: z.string().openapi({ example: 'miv_test_Ab3d…x9Qz' }),
    scopes: z.array(GrantSchema),
    expiresAt: timestamp(),
    revokedAt: timestamp().nullable(),
    lastUsedAt: timestamp().nullable(),
    createdAt: timestamp(),
  })
  .openapi('ApiKey');

export const ApiKeyCreateSchema = z
  .object({
    scopes: z
      .array(GrantSchema)
      .min(1)
      .max(SCOPES.length + 1),
    name: text(100).nullable().optional(),
    expiresInDays: z.number().int().min(1).max(365).optional(),
  })
  .strict()
  .openapi('ApiKeyCreate');

export const ApiKeyCreatedSchema = z
  .object({
    apiKey: z.string().openapi({ description: 'The key itself, shown only in this answer' }),
    key: ApiKeySchema,
  })
  .openapi('ApiKeyCreated');

export const renderApiKey = (k: ApiKeyView, zone: string): z.infer<typeof ApiKeySchema> => ({
  ...k,
  expiresAt: renderInstant(Date.parse(k.expiresAt), zone),
  revokedAt: renderOptionalInstant(k.revokedAt === null ? null : Date.parse(k.revokedAt), zone),
  lastUsedAt: renderOptionalInstant(k.lastUsedAt === null ? null : Date.parse(k.lastUsedAt), zone),
  createdAt: renderInstant(Date.parse(k.createdAt), zone),
});
