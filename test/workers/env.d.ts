// Bindings of the clinic-objects test project: wrangler.toml's.
import type { ClinicObject } from '../../src/worker/clinic-object.js';
import type { DirectoryObject } from '../../src/worker/directory.js';
import type { RateLimiterObject } from '../../src/worker/rate-limiter.js';

declare global {
  namespace Cloudflare {
    interface Env {
      RATE_LIMITER: DurableObjectNamespace<RateLimiterObject>;
      CLINICS: DurableObjectNamespace<ClinicObject>;
      DIRECTORY: DurableObjectNamespace<DirectoryObject>;
    }
  }
}
