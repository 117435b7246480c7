// /admin/v1: the operator provisions clinics and their keys over HTTP, on Node and on Workers alike,
// so a clinic on Cloudflare needs no copying of rows. Mounted only when ADMIN_TOKEN is configured
// (src/app.ts), behind `adminAuth`; the work is the core's `Provisioning` (src/accounts/provisioning.ts),
// which the CLI uses too: this door only translates.
import { createRoute, type OpenAPIHono, type z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  ADMIN_SCOPE,
  type ClinicMade,
  type Provisioning,
  storeProvisioning,
} from '../accounts/provisioning.js';
import { idempotencyFor } from '../booking/idempotency-key.js';
import type { DoorAnswer } from '../booking/outcome.js';
import { adminAuth } from '../http/admin-auth.js';
import type { AppEnv } from '../http/env.js';
import { handleNotFound } from '../http/error-handler.js';
import { jsonBodyGuard } from '../http/middleware.js';
import { behind } from '../http/rest-door.js';
import { createRouter } from '../http/router.js';
import {
  ADMIN_TAG,
  AdminIdempotencyHeader,
  AdminKeyCreateSchema,
  ClinicCreatedSchema,
  ClinicCreateSchema,
  ClinicPageQuery,
  ClinicPageSchema,
  ClinicStatusPatchSchema,
  TenantKeyParams,
} from './schemas/admin.js';
import { ApiKeyCreatedSchema, ApiKeySchema, renderApiKey } from './schemas/api-key.js';
import {
  errorResponses,
  IdParam,
  jsonBody,
  jsonContent,
  listOf,
  writeErrorResponses,
} from './schemas/common.js';
import { renderTenant, TenantSchema } from './schemas/tenant.js';

export const ADMIN_SECURITY = [{ adminBearer: [] }];
const base = { tags: [ADMIN_TAG], security: ADMIN_SECURITY };
const tenantLocation = (id: string) => `/admin/v1/tenants/${id}`;

const create = createRoute({
  ...base,
  method: 'post',
  path: '/admin/v1/tenants',
  summary: 'Create a clinic and its first API key',
  description:
    'The clinic and a first key with every scope (`*`), shown once: a test key (miv_test_, the ' +
    "clinic's sandbox) unless `live: true`. Status `trial` (14 days) unless given. Send an " +
    'Idempotency-Key: a retry then makes no second clinic.',
  request: { headers: AdminIdempotencyHeader, body: jsonBody(ClinicCreateSchema) },
  responses: {
    201: jsonContent(ClinicCreatedSchema, 'The clinic and its first key'),
    ...writeErrorResponses(409),
  },
});
const list = createRoute({
  ...base,
  method: 'get',
  path: '/admin/v1/tenants',
  summary: 'List clinics, oldest first',
  request: { query: ClinicPageQuery },
  responses: { 200: jsonContent(ClinicPageSchema, 'A page of live clinics'), ...errorResponses(422) },
});
const get = createRoute({
  ...base,
  method: 'get',
  path: '/admin/v1/tenants/{id}',
  summary: 'Get a clinic',
  request: { params: IdParam },
  responses: { 200: jsonContent(TenantSchema, 'The clinic'), ...errorResponses(404) },
});
const patch = createRoute({
  ...base,
  method: 'patch',
  path: '/admin/v1/tenants/{id}',
  summary: "Change a clinic's status (canceled suspends it)",
  description: 'The sandbox follows the clinic: a suspended clinic is suspended in test mode too.',
  request: { params: IdParam, body: jsonBody(ClinicStatusPatchSchema) },
  responses: { 200: jsonContent(TenantSchema, 'The clinic'), ...writeErrorResponses(404) },
});
const createKey = createRoute({
  ...base,
  method: 'post',
  path: '/admin/v1/tenants/{id}/api-keys',
  summary: 'Create an API key for a clinic',
  description: 'A test key (the default) reaches the clinic’s sandbox; `live: true` the clinic. Shown once.',
  request: { params: IdParam, body: jsonBody(AdminKeyCreateSchema) },
  responses: { 201: jsonContent(ApiKeyCreatedSchema, 'The key, shown once'), ...writeErrorResponses(404) },
});
const listKeys = createRoute({
  ...base,
  method: 'get',
  path: '/admin/v1/tenants/{id}/api-keys',
  summary: "List a clinic's keys (live, and its sandbox's test keys)",
  request: { params: IdParam },
  responses: { 200: jsonContent(listOf(ApiKeySchema), 'Keys, newest first'), ...errorResponses(404) },
});
const revokeKey = createRoute({
  ...base,
  method: 'delete',
  path: '/admin/v1/tenants/{id}/api-keys/{keyId}',
  summary: "Revoke one of a clinic's keys",
  request: { params: TenantKeyParams },
  responses: { 200: jsonContent(ApiKeySchema, 'The revoked key'), ...errorResponses(404) },
});

/** The deployment's own provisioning (a runtime may hand one over), else the one over the Store. */
const provisioningOf = (c: Context<AppEnv>): Provisioning =>
  c.var.deps.provisioning ?? storeProvisioning(c.var.deps);

const zoneOf = async (provisioning: Provisioning, tenantId: string) =>
  (await provisioning.getClinic(tenantId)).config.timezone;

const renderMade = (made: ClinicMade): z.infer<typeof ClinicCreatedSchema> => ({
  tenant: renderTenant(made.tenant),
  apiKey: made.apiKey,
  key: renderApiKey(made.key, made.tenant.config.timezone),
});

/**
 * This door's answer to a clinic made: what an Idempotency-Key records. Exported for a runtime that
 * creates the clinic elsewhere (a clinic's Durable Object records it in its own store).
 */
export const clinicCreatedAnswer = (made: ClinicMade): DoorAnswer => ({
  status: 201,
  body: JSON.stringify(renderMade(made)),
  location: tenantLocation(made.tenant.id),
});

export const adminRoutes = createRouter()
  .openapi(create, async (c) => {
    const { deps } = c.var;
    const input = c.req.valid('json');
    const idempotency = await idempotencyFor(
      ADMIN_SCOPE,
      c.req.header('idempotency-key'),
      'POST /admin/v1/tenants',
      input,
      deps.sha256Hex,
    );
    const answer = clinicCreatedAnswer;
    const result = await provisioningOf(c).createClinic(input, { idempotency, answer });
    // A replay sends the recorded bytes (without the secret); a fresh answer is the same rendering with it.
    const sent = result.replayed ? result.answer : answer(result.made);
    c.header('Content-Type', 'application/json');
    if (sent.location) c.header('Location', sent.location);
    if (result.replayed) c.header('Idempotent-Replayed', 'true');
    return c.body(sent.body, 201) as unknown as ReturnType<
      typeof c.json<z.infer<typeof ClinicCreatedSchema>, 201>
    >;
  })
  .openapi(list, async (c) => {
    const page = await provisioningOf(c).listClinics(c.req.valid('query'));
    return c.json({ items: page.items.map(renderTenant), nextCursor: page.nextCursor }, 200);
  })
  .openapi(get, async (c) => {
    const tenant = await provisioningOf(c).getClinic(c.req.valid('param').id);
    return c.json(renderTenant(tenant), 200);
  })
  .openapi(patch, async (c) => {
    const tenant = await provisioningOf(c).setStatus(c.req.valid('param').id, c.req.valid('json').status);
    return c.json(renderTenant(tenant), 200);
  })
  .openapi(createKey, async (c) => {
    const provisioning = provisioningOf(c);
    const { id } = c.req.valid('param');
    const { live, ...input } = c.req.valid('json');
    // The clinic's zone (its instants are rendered in it) is read beside the write, not after it: on
    // Workers each is a hop to the clinic's object.
    const [made, zone] = await Promise.all([
      provisioning.createKey(id, { ...input, mode: live ? 'live' : 'test' }),
      zoneOf(provisioning, id),
    ]);
    return c.json({ apiKey: made.apiKey, key: renderApiKey(made.key, zone) }, 201);
  })
  .openapi(listKeys, async (c) => {
    const provisioning = provisioningOf(c);
    const { id } = c.req.valid('param');
    const [keys, zone] = await Promise.all([provisioning.listKeys(id), zoneOf(provisioning, id)]);
    return c.json({ items: keys.map((k) => renderApiKey(k, zone)) }, 200);
  })
  .openapi(revokeKey, async (c) => {
    const provisioning = provisioningOf(c);
    const { id, keyId } = c.req.valid('param');
    const [key, zone] = await Promise.all([provisioning.revokeKey(keyId, id), zoneOf(provisioning, id)]);
    return c.json(renderApiKey(key, zone), 200);
  });

/**
 * Mounts the operator's API on `app`: every route behind the JSON guard and the admin token, any
 * other /admin/v1 path 404 after the token (so a caller without it learns no paths), no CORS (a
 * browser's preflight is refused: this is not an API for web pages).
 */
export function mountAdminDoor(app: OpenAPIHono<AppEnv>) {
  app.openAPIRegistry.registerComponent('securitySchemes', 'adminBearer', {
    type: 'http',
    scheme: 'bearer',
    description: "The operator's ADMIN_TOKEN: `Authorization: Bearer <ADMIN_TOKEN>` (/admin/v1 only)",
  });
  app.route(
    '/',
    behind([jsonBodyGuard, adminAuth], adminRoutes, async (c) => handleNotFound(c)),
  );
  app.all('/admin/v1/*', adminAuth, handleNotFound);
}
