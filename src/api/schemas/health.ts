// The public liveness probe's answer.
import { z } from '@hono/zod-openapi';

export const SERVICE_NAME = 'agendai';

export const HealthSchema = z
  .object({
    status: z.literal('ok'),
    service: z.string().openapi({ example: SERVICE_NAME }),
    timestamp: z.string().openapi({ format: 'date-time' }),
    requestId: z.string(),
  })
  .openapi('Health');
