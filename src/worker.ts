// Workers entry: `npm run dev:worker` locally, `npm run deploy` to Cloudflare. D1 instead of
// better-sqlite3, Workers secrets instead of the data folder, a Durable Object for rate limits, and
// cron (`scheduled`) for timed work. Nothing here may reach better-sqlite3 or node:* modules.
import { type App, createApp } from './app.js';
import type { AppDeps } from './deps.js';
import { AppError } from './domain/errors.js';
import { errorResponse } from './http/error-handler.js';
import { jsonLogger } from './logger.js';
import { runTimedJobs } from './timed-jobs.js';
import { buildWorkerDeps } from './worker/deps.js';
import { parseWorkerEnv } from './worker/env.js';

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

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

export default {
  async fetch(request, env, ctx) {
    let service: Service;
    try {
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
