// The Voki door's guards: Voki's error words first (so every refusal below is re-said), CORS with
// Voki's tenant header, the REST door's JSON guard, API-key auth and per-key limits, then the tenant
// header check. Same keys, scopes, limits and idempotency as /v1; only the language differs.
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import { AppError } from '../domain/errors.js';
import type { AppEnv } from '../http/env.js';
import { apiKeyAuth, jsonBodyGuard } from '../http/middleware.js';
import { rateLimitPerKey } from '../http/rate-limit-middleware.js';
import { apiCors, behind } from '../http/rest-door.js';
import { createRouter } from '../http/router.js';
import { vokiErrors } from './errors.js';

export const VOKI_PREFIX = '/api/v1';

export const vokiCors = apiCors(['X-Tenant']);

/** Voki's `X-Tenant`, when sent, must name the key's clinic: its public slug or its id. */
export const tenantHeader = createMiddleware<AppEnv>(async (c, next) => {
  const named = c.req.header('x-tenant');
  const { tenant } = c.var.credential;
  if (named !== undefined && named !== tenant.id && named !== tenant.publicSlug) {
    throw new AppError('tenant_mismatch', "X-Tenant does not name this API key's clinic");
  }
  await next();
});

export const VOKI_GUARDS: MiddlewareHandler<AppEnv>[] = [
  vokiErrors,
  vokiCors,
  jsonBodyGuard,
  apiKeyAuth,
  tenantHeader,
  rateLimitPerKey,
];

export function vokiDoor(...routers: OpenAPIHono<AppEnv>[]): OpenAPIHono<AppEnv> {
  const door = createRouter();
  for (const router of routers) door.route('/', behind(VOKI_GUARDS, router, vokiCors));
  return door;
}
