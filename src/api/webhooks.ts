// /v1/webhooks: where the clinic's systems hear about appointment changes (signed POSTs).
import { createRoute, type z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { CALLBACK_EVENTS } from '../booking/callback-requests.js';
import { APPOINTMENT_EVENTS, FEEDBACK_RECEIVED, TRIAGE_COMPLETED } from '../booking/events.js';
import { renderInstant, renderOptionalInstant } from '../domain/time.js';
import type { AppEnv } from '../http/env.js';
import { requireScope } from '../http/middleware.js';
import { createRouter } from '../http/router.js';
import { recentDeliveries } from '../webhooks/deliveries.js';
import {
  changeEndpoint,
  createEndpoint,
  getEndpoint,
  listTenantEndpoints,
  rotateSecret,
  type WebhookEndpoint,
} from '../webhooks/endpoints.js';
import { ENDPOINT_EVENTS } from '../webhooks/health.js';
import { errorResponses, IdParam, jsonBody, jsonContent, writeErrorResponses } from './schemas/common.js';
import {
  DeliveryListQuery,
  DeliveryListSchema,
  EndpointCreateSchema,
  EndpointListSchema,
  EndpointPatchSchema,
  EndpointSchema,
  EndpointWithSecretSchema,
} from './schemas/webhook.js';

const TAG = 'Webhooks';

const render = (c: Context<AppEnv>, row: WebhookEndpoint): z.infer<typeof EndpointSchema> => {
  const zone = c.var.credential.tenant.config.timezone;
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: row.events,
    active: row.active,
    status: row.disabledAt === null ? 'enabled' : 'disabled',
    disabledAt: renderOptionalInstant(row.disabledAt, zone),
    disabledReason: row.disabledReason,
    previousSecretExpiresAt: renderOptionalInstant(row.previousSecretExpiresAt, zone),
    createdAt: renderInstant(row.createdAt, zone),
    updatedAt: renderInstant(row.updatedAt, zone),
  };
};

const scope = () => [requireScope('webhooks:write')];

const create = createRoute({
  method: 'post',
  path: '/v1/webhooks',
  tags: [TAG],
  summary: 'Subscribe an endpoint to appointment events',
  description:
    `Events: ${APPOINTMENT_EVENTS.join(', ')} (body {id, type, createdAt, tenantId, data: {appointment, changes}}); ` +
    `${ENDPOINT_EVENTS.join(', ')} (data: {endpoint: {id, url, disabledAt, reason}}); ` +
    `${CALLBACK_EVENTS.join(', ')} (data: {callbackRequest}: a message the voice agent took); ` +
    `${TRIAGE_COMPLETED} (data: {triage}: the patient's answers); ${FEEDBACK_RECEIVED} (data: {feedback}: a rating). Retried with backoff for ` +
    'about a day until a 2xx; an endpoint whose every attempt fails for 3 days is disabled. The URL must be ' +
    'https on a public internet address. At most 16 endpoints per clinic (409 webhook_endpoint_limit).',
  middleware: scope(),
  request: { body: jsonBody(EndpointCreateSchema) },
  responses: {
    201: jsonContent(EndpointWithSecretSchema, 'The endpoint and its secret (shown once)'),
    ...writeErrorResponses(409),
  },
});
const list = createRoute({
  method: 'get',
  path: '/v1/webhooks',
  tags: [TAG],
  summary: 'List webhook endpoints',
  middleware: scope(),
  responses: {
    200: jsonContent(EndpointListSchema, 'Endpoints'),
    ...errorResponses(),
  },
});
const get = createRoute({
  method: 'get',
  path: '/v1/webhooks/{id}',
  tags: [TAG],
  summary: 'Get a webhook endpoint',
  middleware: scope(),
  request: { params: IdParam },
  responses: { 200: jsonContent(EndpointSchema, 'The endpoint'), ...errorResponses(404) },
});
const patch = createRoute({
  method: 'patch',
  path: '/v1/webhooks/{id}',
  tags: [TAG],
  summary: 'Change a webhook endpoint',
  middleware: scope(),
  request: { params: IdParam, body: jsonBody(EndpointPatchSchema) },
  responses: { 200: jsonContent(EndpointSchema, 'The endpoint'), ...writeErrorResponses(404) },
});
const remove = createRoute({
  method: 'delete',
  path: '/v1/webhooks/{id}',
  tags: [TAG],
  summary: 'Remove a webhook endpoint',
  middleware: scope(),
  request: { params: IdParam },
  responses: { 204: { description: 'Removed; pending deliveries are dropped' }, ...errorResponses(404) },
});
const rotate = createRoute({
  method: 'post',
  path: '/v1/webhooks/{id}/rotate-secret',
  tags: [TAG],
  summary: 'Rotate the signing secret',
  description: 'The old secret keeps signing (a second v1 in the header) for 24 hours.',
  middleware: scope(),
  request: { params: IdParam },
  responses: {
    200: jsonContent(EndpointWithSecretSchema, 'The endpoint and its new secret'),
    ...writeErrorResponses(404),
  },
});
const deliveries = createRoute({
  method: 'get',
  path: '/v1/webhooks/{id}/deliveries',
  tags: [TAG],
  summary: 'Recent deliveries to an endpoint',
  middleware: scope(),
  request: {
    params: IdParam,
    query: DeliveryListQuery,
  },
  responses: {
    200: jsonContent(DeliveryListSchema, 'Newest first'),
    ...errorResponses(404, 422),
  },
});

export const webhookRoutes = createRouter()
  .openapi(create, async (c) => {
    const { endpoint, secret } = await createEndpoint(
      c.var.deps,
      c.var.credential.tenant,
      c.req.valid('json'),
    );
    c.header('Location', `/v1/webhooks/${endpoint.id}`);
    return c.json({ ...render(c, endpoint), secret }, 201);
  })
  .openapi(list, async (c) =>
    c.json(
      { items: (await listTenantEndpoints(c.var.deps, c.var.credential.tenant)).map((r) => render(c, r)) },
      200,
    ),
  )
  .openapi(get, async (c) =>
    c.json(render(c, await getEndpoint(c.var.deps, c.var.credential.tenant, c.req.valid('param').id)), 200),
  )
  .openapi(patch, async (c) =>
    c.json(
      render(
        c,
        await changeEndpoint(
          c.var.deps,
          c.var.credential.tenant,
          c.req.valid('param').id,
          c.req.valid('json'),
        ),
      ),
      200,
    ),
  )
  .openapi(remove, async (c) => {
    await changeEndpoint(c.var.deps, c.var.credential.tenant, c.req.valid('param').id, { active: false });
    return c.body(null, 204);
  })
  .openapi(rotate, async (c) => {
    const { endpoint, secret } = await rotateSecret(
      c.var.deps,
      c.var.credential.tenant,
      c.req.valid('param').id,
    );
    return c.json({ ...render(c, endpoint), secret }, 200);
  })
  .openapi(deliveries, async (c) => {
    const { tenant } = c.var.credential;
    const zone = tenant.config.timezone;
    const records = await recentDeliveries(
      c.var.deps,
      tenant,
      c.req.valid('param').id,
      c.req.valid('query').limit,
    );
    const items = records.map((d) => ({
      ...d,
      nextAttemptAt: renderOptionalInstant(d.nextAttemptAt, zone),
      createdAt: renderInstant(d.createdAt, zone),
      deliveredAt: renderOptionalInstant(d.deliveredAt, zone),
    }));
    return c.json({ items }, 200);
  });
