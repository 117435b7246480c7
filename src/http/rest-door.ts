// The REST door (the /v1 API) as one router. Each of its routes, and only those, runs behind CORS,
// the JSON body guard, API-key auth and the per-key rate limit, in that order, before the route's
// own scope check and validation. The other doors (voice webhooks, the booking page, health, docs)
// are mounted beside it and never meet these guards, so no guard needs a list of paths to skip.
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { setAnswerHeader } from './answer-headers.js';
import type { AppEnv } from './env.js';
import { apiKeyAuth, jsonBodyGuard } from './middleware.js';
import { rateLimitPerKey } from './rate-limit-middleware.js';
import { createRouter } from './router.js';

/**
 * Browsers may call an API door from any origin with a key; these headers are theirs to read. A door
 * with a header of its own (Voki's X-Tenant) names it in `extraHeaders`.
 *
 * A preflight (OPTIONS) is Hono's cors. Any other request gets the same two headers written on the
 * answer once it is made: Hono's cors writes them first on a placeholder answer, and the handler's
 * answer was then copied, body and all, to carry them (5% of a 31-day availability, 2% of a booking).
 * An answer made by the error handler passes through here as well.
 */
export const apiCors = (extraHeaders: string[] = []): MiddlewareHandler<AppEnv> => {
  const exposed = [
    'Idempotent-Replayed',
    'Location',
    'Retry-After',
    'X-Request-Id',
    'X-RateLimit-Limit',
    'X-RateLimit-Remaining',
    'X-RateLimit-Reset',
  ];
  const preflight = cors({
    origin: '*',
    allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', ...extraHeaders],
    exposeHeaders: exposed,
  });
  const exposedText = exposed.join(',');
  return async (c, next) => {
    if (c.req.method === 'OPTIONS') return preflight(c, next);
    await next();
    setAnswerHeader(c, 'Access-Control-Allow-Origin', '*');
    setAnswerHeader(c, 'Access-Control-Expose-Headers', exposedText);
  };
};

export const restCors = apiCors();

export const REST_GUARDS: MiddlewareHandler<AppEnv>[] = [
  restCors,
  jsonBodyGuard,
  apiKeyAuth,
  rateLimitPerKey,
];

/**
 * The routes of `routers`, each preceded by `guards`, with the same OpenAPI documentation. A path
 * also answers the browser's CORS preflight (OPTIONS), which no route declares.
 *
 * Why not `door.use('*', ...)`: Hono copies a sub-router's middleware into the parent with its path,
 * so a `*` middleware of a router mounted at `/` would run for every request of the whole app.
 */
export function restDoor(...routers: OpenAPIHono<AppEnv>[]): OpenAPIHono<AppEnv> {
  const door = createRouter();
  for (const router of routers) door.route('/', behind(REST_GUARDS, router));
  return door;
}

/** The routes of `router`, each preceded by `guards` (exported for the Voki door's own guards). */
export function behind(
  guards: MiddlewareHandler<AppEnv>[],
  router: OpenAPIHono<AppEnv>,
  preflight: MiddlewareHandler<AppEnv> = restCors,
): OpenAPIHono<AppEnv> {
  const guarded = createRouter();
  const seen = new Set<string>();
  for (const { method, path, handler } of router.routes) {
    // A path-wide middleware (`router.use`) would be copied with its wildcard and outlive the guards'
    // purpose; a REST route's own middleware belongs in its createRoute({ middleware }).
    if (path.includes('*'))
      throw new Error(`A REST router may not use path-wide middleware (${method} ${path})`);
    if (!seen.has(path)) {
      seen.add(path);
      guarded.options(path, preflight);
    }
    // One openapi() call registers its middleware, validators and handler in a row: guard the first.
    if (!seen.has(`${method} ${path}`)) {
      seen.add(`${method} ${path}`);
      guarded.on([method], [path], ...guards);
    }
    guarded.on([method], [path], handler);
  }
  // The routes are the same, so is their documentation.
  guarded.openAPIRegistry = router.openAPIRegistry;
  return guarded;
}
