// /v1/webhooks: where the clinic's systems hear about appointment changes (signed POSTs).
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { APPOINTMENT_EVENTS } from '../booking/events.js';
import type { EndpointRow } from '../db/webhooks.js';
import { listDeliveries } from '../db/webhooks.js';
import { renderInstant, renderOptionalInstant } from '../domain/time.js';
import type { AppEnv } from '../http/env.js';
import { requireScope } from '../http/middleware.js';
import { createRouter } from '../http/router.js';
import {
  changeEndpoint,
  createEndpoint,
  getEndpoint,
  listTenantEndpoints,
  rotateSecret,
} from '../webhooks/endpoints.js';
import {
  errorResponses,
  IdParam,
  jsonBody,
  jsonContent,
  text,
  writeErrorResponses,
} from './schemas/common.js';

const TAG = 'Webhooks';
const EVENT = z.enum(['*', ...APPOINTMENT_EVENTS]);

const EndpointSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    description: z.string().nullable(),
    events: z.array(z.string()).openapi({ example: ['appointment.created', 'appointment.cancelled'] }),
    active: z.boolean(),
    previousSecretExpiresAt: z
      .string()
      .nullable()
      .openapi({ description: 'During a rotation: when the old secret stops signing' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('WebhookEndpoint');

const WithSecretSchema = EndpointSchema.extend({
  secret: z.string().openapi({
    description:
      'Shown once. Verify each POST: header X-Agendai-Signature "t=<unix>,v1=<hex>[,v1=<hex>]" where hex = ' +
      'HMAC-SHA256(secret, "<t>.<raw body>"); accept if any v1 matches and t is within 5 minutes.',
  }),
}).openapi('WebhookEndpointWithSecret');

const CreateSchema = z
  .object({
    url: z.string().max(2000).openapi({ example: 'https://pms.example.com/agendai/webhooks' }),
    events: z.array(EVENT).max(20).optional().openapi({ description: 'Default ["*"]: every event' }),
    description: text(300, { min: 0 }).nullable().optional(),
  })
  .strict()
  .openapi('WebhookEndpointCreate');

const PatchSchema = CreateSchema.partial()
  .extend({ active: z.boolean().optional() })
  .strict()
  .openapi('WebhookEndpointPatch');

const DeliverySchema = z
  .object({
    id: z.string(),
    eventId: z.string(),
    eventType: z.string(),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    nextAttemptAt: z.string().nullable(),
    createdAt: z.string(),
    deliveredAt: z.string().nullable(),
  })
  .openapi('WebhookDelivery');

const render = (c: Context<AppEnv>, row: EndpointRow): z.infer<typeof EndpointSchema> => {
  const zone = c.var.credential.tenant.config.timezone;
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: JSON.parse(row.events) as string[],
    active: row.active,
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
  description: `Events: ${APPOINTMENT_EVENTS.join(', ')}. Body: {id, type, createdAt, tenantId, data: {appointment, changes}}. Retried with backoff for about a day until a 2xx.`,
  middleware: scope(),
  request: { body: jsonBody(CreateSchema) },
  responses: {
    201: jsonContent(WithSecretSchema, 'The endpoint and its secret (shown once)'),
    ...writeErrorResponses(),
  },
});
const list = createRoute({
  method: 'get',
  path: '/v1/webhooks',
  tags: [TAG],
  summary: 'List webhook endpoints',
  middleware: scope(),
  responses: {
    200: jsonContent(z.object({ items: z.array(EndpointSchema) }), 'Endpoints'),
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
  request: { params: IdParam, body: jsonBody(PatchSchema) },
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
    200: jsonContent(WithSecretSchema, 'The endpoint and its new secret'),
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
    query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
  },
  responses: {
    200: jsonContent(z.object({ items: z.array(DeliverySchema) }), 'Newest first'),
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
    const endpoint = await getEndpoint(c.var.deps, tenant, c.req.valid('param').id);
    const zone = tenant.config.timezone;
    const rows = await listDeliveries(
      c.var.deps.store.db,
      tenant.id,
      endpoint.id,
      c.req.valid('query').limit,
    );
    return c.json(
      {
        items: rows.map((d) => ({
          id: d.id,
          eventId: d.eventId,
          eventType: d.eventType,
          status: d.status as 'pending' | 'delivered' | 'failed',
          attempts: d.attempts,
          lastStatusCode: d.lastStatusCode,
          lastError: d.lastError,
          nextAttemptAt: d.status === 'pending' ? renderInstant(d.nextAttemptAt, zone) : null,
          createdAt: renderInstant(d.createdAt, zone),
          deliveredAt: renderOptionalInstant(d.deliveredAt, zone),
        })),
      },
      200,
    );
  });
