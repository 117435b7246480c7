// Bindings of the workers test project: wrangler.toml's, plus the migrations vitest.config.ts reads.
import type { D1Migration } from 'cloudflare:test';
import type { ClinicObject } from '../../src/worker/clinic-object.js';
import type { DirectoryObject } from '../../src/worker/directory.js';
import type { RateLimiterObject } from '../../src/worker/rate-limiter.js';

declare global {
  namespace Cloudflare {
    interface Env {
      DB: D1Database;
      /** Left without migrations by the setup file: the migration test builds its own schema in it. */
      MIGRATION_DB: D1Database;
      RATE_LIMITER: DurableObjectNamespace<RateLimiterObject>;
      CLINICS: DurableObjectNamespace<ClinicObject>;
      DIRECTORY: DurableObjectNamespace<DirectoryObject>;
      TEST_MIGRATIONS: D1Migration[];
    }
  }
}
