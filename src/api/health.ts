// GET /health: public liveness probe.
import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../http/router.js';
import { jsonContent } from './schemas/common.js';

export const SERVICE_NAME = 'agendai';

const HealthSchema = z
  .object({
    status: z.literal('ok'),
    service: z.string().openapi({ example: SERVICE_NAME }),
    timestamp: z.string().openapi({ format: 'date-time' }),
    requestId: z.string(),
  })
  .openapi('Health');

const health = createRoute({
  method: 'get',
  path: '/health',
  tags: ['Health'],
  summary: 'Liveness probe',
  security: [],
  responses: { 200: jsonContent(HealthSchema, 'The service is up') },
});

export const healthRoutes = createRouter().openapi(health, (c) =>
  c.json(
    {
      status: 'ok' as const,
      service: SERVICE_NAME,
      timestamp: new Date(c.var.deps.clock.now()).toISOString(),
      requestId: c.var.requestId,
    },
    200,
  ),
);
