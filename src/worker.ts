// Workers entry: `npm run dev:worker` locally, `npm run deploy` to Cloudflare. Nothing here may reach
// better-sqlite3 or node:* modules. Each clinic's data and requests live in its own Durable Object
// (src/worker/clinic-object.ts), whose alarm runs its timed work; this Worker only routes
// (src/worker/router.ts), through the directory, in one hop.
import { AppError, errorMessage } from './domain/errors.js';
import { errorResponse } from './http/error-handler.js';
import { jsonLogger } from './logger.js';
import { cachedDirectory, directoryOf } from './worker/directory.js';
import { parseWorkerEnv } from './worker/env.js';
import { lobbyNameOf, type Routing, routeRequest } from './worker/router.js';

export { ClinicObject } from './worker/clinic-object.js';
export { DirectoryObject } from './worker/directory.js';
export { RateLimiterObject } from './worker/rate-limiter.js';

const logger = jsonLogger();

// One routing per isolate and env: its directory cache outlives requests (entries never change).
const routings = new WeakMap<object, Routing>();

/** The router of an env. Throws on a bad configuration (and tries again on the next request). */
function routingFor(env: Record<string, unknown>): Routing {
  let routing = routings.get(env);
  if (!routing) {
    const { clinics, directory, secrets } = parseWorkerEnv(env);
    routing = {
      directory: cachedDirectory(directoryOf(directory)),
      clinic: (id) => clinics.get(clinics.idFromString(id)),
      lobby: async (caller) => clinics.getByName(await lobbyNameOf(caller, secrets.PHONE_HASH_KEY.secret)),
    };
    routings.set(env, routing);
  }
  return routing;
}

export default {
  async fetch(request, env) {
    let routing: Routing;
    try {
      routing = routingFor(env);
    } catch (error) {
      const requestId = crypto.randomUUID();
      logger.error('start_failed', { requestId, error: errorMessage(error) });
      return errorResponse(new AppError('internal_error', 'The service is not configured'), requestId);
    }
    // A failed hop is the envelope's 500, logged with its request id.
    try {
      return await routeRequest(request, routing);
    } catch (error) {
      const requestId = crypto.randomUUID();
      logger.error('route_failed', { requestId, error: errorMessage(error) });
      return errorResponse(
        new AppError('internal_error', 'The service could not reach the clinic'),
        requestId,
      );
    }
  },
} satisfies ExportedHandler<Record<string, unknown>>;
