// GET /health: public liveness probe.
import { createRoute } from '@hono/zod-openapi';
import { createRouter } from '../http/router.js';
import { jsonContent } from './schemas/common.js';
import { HealthSchema, SERVICE_NAME } from './schemas/health.js';

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
