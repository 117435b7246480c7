// The typed Hono environment: dependencies and the per-request values reach handlers through c.var.
import type { Credential } from '../accounts/api-keys.js';
import type { AppDeps } from '../deps.js';

export interface AppEnv {
  Variables: {
    deps: AppDeps;
    requestId: string;
    credential: Credential;
  };
}
