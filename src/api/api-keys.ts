// /v1/api-keys: a clinic makes, lists and revokes its test keys (`miv_test_…`), which reach its
// sandbox. Live keys are issued by the operator (the admin CLI); a key can never mint a live key,
// nor a key with a scope it does not hold itself.
import { createRoute } from '@hono/zod-openapi';
import { createTestKeyBy, getTestKey, listTestKeys, revokeTestKey } from '../accounts/api-keys.js';
import { requireScope } from '../http/middleware.js';
import { createRouter } from '../http/router.js';
import { ApiKeyCreatedSchema, ApiKeyCreateSchema, ApiKeySchema, renderApiKey } from './schemas/api-key.js';
import {
  errorResponses,
  IdParam,
  jsonBody,
  jsonContent,
  listOf,
  writeErrorResponses,
} from './schemas/common.js';

const TAG = 'API keys';
const scope = () => [requireScope('api_keys:write')];

const create = createRoute({
  method: 'post',
  path: '/v1/api-keys',
  tags: [TAG],
  summary: 'Create a test key (miv_test_…) for the clinic’s sandbox',
  description:
    "A test key reaches the clinic's sandbox: its own catalogue, appointments, calls and webhook " +
    'endpoints, never the live ones (and live keys never see the sandbox). Nothing leaves the service ' +
    'for sandbox activity: webhook events are recorded as `simulated` deliveries, with the event that ' +
    'would have been sent, and never sent. The sandbox is made with the first test key, as a copy of ' +
    "the clinic's settings. Scopes: only those the calling key holds. Expires after `expiresInDays` " +
    '(default 365).',
  middleware: scope(),
  request: { body: jsonBody(ApiKeyCreateSchema) },
  responses: {
    201: jsonContent(ApiKeyCreatedSchema, 'The key, shown once'),
    ...writeErrorResponses(),
  },
});
const list = createRoute({
  method: 'get',
  path: '/v1/api-keys',
  tags: [TAG],
  summary: 'List the clinic’s test keys',
  middleware: scope(),
  responses: { 200: jsonContent(listOf(ApiKeySchema), 'Test keys, newest first'), ...errorResponses() },
});
const get = createRoute({
  method: 'get',
  path: '/v1/api-keys/{id}',
  tags: [TAG],
  summary: 'Get a test key',
  middleware: scope(),
  request: { params: IdParam },
  responses: { 200: jsonContent(ApiKeySchema, 'The key (never its secret)'), ...errorResponses(404) },
});
const revoke = createRoute({
  method: 'delete',
  path: '/v1/api-keys/{id}',
  tags: [TAG],
  summary: 'Revoke a test key',
  description: 'Live keys are revoked by the operator; one here is `api_key_not_found`.',
  middleware: scope(),
  request: { params: IdParam },
  responses: { 200: jsonContent(ApiKeySchema, 'The revoked key'), ...errorResponses(404) },
});

export const apiKeyRoutes = createRouter()
  .openapi(create, async (c) => {
    const { deps, credential } = c.var;
    const input = c.req.valid('json');
    const made = await createTestKeyBy(deps.store.db, credential, input, deps.clock.now());
    return c.json(
      { apiKey: made.apiKey, key: renderApiKey(made.key, credential.tenant.config.timezone) },
      201,
    );
  })
  .openapi(list, async (c) => {
    const { deps, credential } = c.var;
    const keys = await listTestKeys(deps.store.db, credential.tenant);
    return c.json({ items: keys.map((k) => renderApiKey(k, credential.tenant.config.timezone)) }, 200);
  })
  .openapi(get, async (c) => {
    const { deps, credential } = c.var;
    const key = await getTestKey(deps.store.db, credential.tenant, c.req.valid('param').id);
    return c.json(renderApiKey(key, credential.tenant.config.timezone), 200);
  })
  .openapi(revoke, async (c) => {
    const { deps, credential } = c.var;
    const key = await revokeTestKey(
      deps.store.db,
      credential.tenant,
      c.req.valid('param').id,
      deps.clock.now(),
    );
    return c.json(renderApiKey(key, credential.tenant.config.timezone), 200);
  });
