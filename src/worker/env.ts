// The Worker's environment, validated with zod: bindings from wrangler.toml, secrets from
// `wrangler secret put`, optional limit overrides from [vars]. A bad value stops every request with
// one log line that names the variable (never its value).
import { z } from 'zod';
import {
  adminToken,
  allowPrivateTargets,
  type PlatformApiBaseUrls,
  platformApiBaseUrls,
  platformApiEnvSchema,
  publicBaseUrl,
  type Secrets,
  secretsSchema,
} from '../config.js';
import type { RateLimitSettings } from '../deps.js';
import type { RateLimiterObject } from './rate-limiter.js';

const binding = <T>(name: string, method: string) =>
  z.custom<T>(
    (value) => typeof (value as Record<string, unknown> | undefined)?.[method] === 'function',
    `${name} binding is missing (see wrangler.toml)`,
  );

const limit = z.coerce.number().int().positive().optional();

const workerEnvSchema = secretsSchema.extend(platformApiEnvSchema.shape).extend({
  DB: binding<D1Database>('DB (D1)', 'batch'),
  RATE_LIMITER: binding<DurableObjectNamespace<RateLimiterObject>>(
    'RATE_LIMITER (Durable Object)',
    'idFromName',
  ),
  RATE_LIMIT_PER_KEY_PER_MINUTE: limit,
  RATE_LIMIT_PER_KEY_PER_SECOND: limit,
  RATE_LIMIT_PER_IP_PER_MINUTE: limit,
  PUBLIC_BASE_URL: publicBaseUrl,
  WEBHOOKS_ALLOW_PRIVATE_TARGETS: allowPrivateTargets,
  AUTH_FAILURES_PER_MINUTE: limit,
  // A secret (`wrangler secret put ADMIN_TOKEN`); unset, no /admin/v1 routes.
  ADMIN_TOKEN: adminToken,
});

export interface WorkerConfig {
  db: D1Database;
  rateLimiter: DurableObjectNamespace<RateLimiterObject>;
  secrets: Secrets;
  rateLimits: Partial<RateLimitSettings>;
  /** [vars] PUBLIC_BASE_URL; unset, the URLs printed use the route the request came in on. */
  publicBaseUrl?: string;
  allowPrivateTargets: boolean;
  platformApiBaseUrls: PlatformApiBaseUrls;
  /** ADMIN_TOKEN: the operator's API (/admin/v1) is mounted behind it. */
  adminToken?: string;
}

/** Validates the Worker's env; throws one readable line naming the first bad variable. */
export function parseWorkerEnv(env: Record<string, unknown>): WorkerConfig {
  const result = workerEnvSchema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new Error(`Configuration error: ${issue.path.join('.')}: ${issue.message}`);
  }
  const { DB, RATE_LIMITER, RATE_LIMIT_PER_KEY_PER_MINUTE, RATE_LIMIT_PER_KEY_PER_SECOND, ...rest } =
    result.data;
  const {
    RATE_LIMIT_PER_IP_PER_MINUTE,
    AUTH_FAILURES_PER_MINUTE,
    PUBLIC_BASE_URL,
    WEBHOOKS_ALLOW_PRIVATE_TARGETS,
    VAPI_API_BASE_URL,
    RETELL_API_BASE_URL,
    TWILIO_API_BASE_URL,
    TELNYX_API_BASE_URL,
    ADMIN_TOKEN,
    ...secrets
  } = rest;
  const rateLimits: Partial<RateLimitSettings> = {};
  if (RATE_LIMIT_PER_KEY_PER_MINUTE) rateLimits.perKeyPerMinute = RATE_LIMIT_PER_KEY_PER_MINUTE;
  if (RATE_LIMIT_PER_KEY_PER_SECOND) rateLimits.perKeyPerSecond = RATE_LIMIT_PER_KEY_PER_SECOND;
  if (RATE_LIMIT_PER_IP_PER_MINUTE) rateLimits.perIpPerMinute = RATE_LIMIT_PER_IP_PER_MINUTE;
  if (AUTH_FAILURES_PER_MINUTE) rateLimits.authFailuresPerMinute = AUTH_FAILURES_PER_MINUTE;
  return {
    db: DB,
    rateLimiter: RATE_LIMITER,
    secrets,
    rateLimits,
    publicBaseUrl: PUBLIC_BASE_URL,
    allowPrivateTargets: WEBHOOKS_ALLOW_PRIVATE_TARGETS,
    platformApiBaseUrls: platformApiBaseUrls({
      VAPI_API_BASE_URL,
      RETELL_API_BASE_URL,
      TWILIO_API_BASE_URL,
      TELNYX_API_BASE_URL,
    }),
    adminToken: ADMIN_TOKEN,
  };
}
