// Workers entry: `npm run dev:worker` locally, `npm run deploy` to Cloudflare. Workers secrets
// instead of the data folder, Durable Objects for rate limits. Nothing here may reach better-sqlite3
// or node:* modules. Two storage modes (STORAGE in wrangler.toml):
// - `d1` (the default): the app runs here on one D1 database for every clinic, cron runs the timed work.
// - `clinic-objects`: each clinic's data and requests live in its own Durable Object
//   (src/worker/clinic-object.ts); this Worker only routes (src/worker/router.ts) through the
//   directory, and each object's alarm runs its timed work.
import { type App, createApp } from './app.js';
import type { AppDeps } from './deps.js';
import { AppError } from './domain/errors.js';
import { errorResponse } from './http/error-handler.js';
import { jsonLogger } from './logger.js';
import { runTimedJobs } from './timed-jobs.js';
import { buildWorkerDeps } from './worker/deps.js';
import { cachedDirectory, directoryOf } from './worker/directory.js';
import { parseWorkerEnv } from './worker/env.js';
import { type Routing, routeRequest } from './worker/router.js';

export { ClinicObject } from './worker/clinic-object.js';
export { DirectoryObject } from './worker/directory.js';
export { RateLimiterObject } from './worker/rate-limiter.js';

const logger = jsonLogger();

interface Service {
  deps: AppDeps;
  app: App;
}

// One app per isolate and env: the vault imports its keys once, not on every request.
const services = new WeakMap<object, Promise<Service>>();

function serviceFor(env: Record<string, unknown>): Promise<Service> {
  let service = services.get(env);
  if (!service) {
    service = (async () => {
      const deps = await buildWorkerDeps(parseWorkerEnv(env), { logger });
      return { deps, app: createApp(deps) };
    })();
    // A failed start is not cached: the next request tries again (and logs again).
    service.catch(() => services.delete(env));
    services.set(env, service);
  }
  return service;
}

// One routing per isolate and env: its directory cache outlives requests (entries never change).
const routings = new WeakMap<object, Routing | null>();

/** The router of an env in clinic-objects mode; null in d1 mode. Throws on a bad configuration. */
function routingFor(env: Record<string, unknown>): Routing | null {
  let routing = routings.get(env);
  if (routing === undefined) {
    const config = parseWorkerEnv(env);
    const clinics = config.clinics;
    routing =
      config.storage === 'clinic-objects' && clinics && config.directory
        ? {
            directory: cachedDirectory(directoryOf(config.directory)),
            clinic: (id) => clinics.get(clinics.idFromString(id)),
            lobby: () => clinics.getByName('lobby'),
          }
        : null;
    routings.set(env, routing);
  }
  return routing;
}

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Forwards to the clinic's object; a failed hop is the envelope's 500, logged with its request id. */
async function routed(request: Request, routing: Routing): Promise<Response> {
  try {
    return await routeRequest(request, routing);
  } catch (error) {
    const requestId = crypto.randomUUID();
    logger.error('route_failed', { requestId, error: reason(error) });
    return errorResponse(new AppError('internal_error', 'The service could not reach the clinic'), requestId);
  }
}

export default {
  async fetch(request, env, ctx) {
    let service: Service;
    try {
      const routing = routingFor(env);
      if (routing) return await routed(request, routing);
      service = await serviceFor(env);
    } catch (error) {
      const requestId = crypto.randomUUID();
      logger.error('start_failed', { requestId, error: reason(error) });
      return errorResponse(new AppError('internal_error', 'The service is not configured'), requestId);
    }
    return service.app.fetch(request, env, ctx);
  },

  async scheduled(controller, env) {
    try {
      // Clinic objects run their own timed work on their alarms.
      if (routingFor(env)) return;
      const { deps } = await serviceFor(env);
      const report = await runTimedJobs(deps, deps.clock.now());
      logger.info('scheduled', { cron: controller.cron, ...report });
    } catch (error) {
      logger.error('scheduled_failed', { cron: controller.cron, error: reason(error) });
      // Rethrown so that the cron run is recorded as failed.
      throw error;
    }
  },
} satisfies ExportedHandler<Record<string, unknown>>;
