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
import type { ClinicObject } from './clinic-object.js';
import type { DirectoryObject } from './directory.js';
import type { RateLimiterObject } from './rate-limiter.js';

const binding = <T>(name: string, method: string) =>
  z.custom<T>(
    (value) => typeof (value as Record<string, unknown> | undefined)?.[method] === 'function',
    `${name} binding is missing (see wrangler.toml)`,
  );

const limit = z.coerce.number().int().positive().optional();

/** Where a new clinic's object is created: a jurisdiction keeps its data there (`eu`). */
const JURISDICTIONS = ['eu', 'fedramp'] as const;
const LOCATION_HINTS = ['wnam', 'enam', 'sam', 'weur', 'eeur', 'apac', 'oc', 'afr', 'me'] as const;

const workerEnvSchema = secretsSchema.extend(platformApiEnvSchema.shape).extend({
  CLINICS: binding<DurableObjectNamespace<ClinicObject>>('CLINICS (Durable Object)', 'idFromName'),
  DIRECTORY: binding<DurableObjectNamespace<DirectoryObject>>('DIRECTORY (Durable Object)', 'idFromName'),
  CLINIC_JURISDICTION: z.enum(JURISDICTIONS).optional(),
  CLINIC_LOCATION_HINT: z.enum(LOCATION_HINTS).optional(),
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

/** Where new clinics' objects are placed (CLINIC_JURISDICTION wins over CLINIC_LOCATION_HINT). */
export interface Placement {
  jurisdiction?: DurableObjectJurisdiction;
  locationHint?: DurableObjectLocationHint;
}

export interface WorkerConfig {
  /** One Durable Object per clinic: its data and its requests (src/worker/clinic-object.ts). */
  clinics: DurableObjectNamespace<ClinicObject>;
  /** Key references, integrations, senders and slugs → clinic objects (src/worker/directory.ts). */
  directory: DurableObjectNamespace<DirectoryObject>;
  placement: Placement;
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
  const {
    CLINICS,
    DIRECTORY,
    CLINIC_JURISDICTION,
    CLINIC_LOCATION_HINT,
    RATE_LIMITER,
    RATE_LIMIT_PER_KEY_PER_MINUTE,
    RATE_LIMIT_PER_KEY_PER_SECOND,
    ...rest
  } = result.data;
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
    clinics: CLINICS,
    directory: DIRECTORY,
    placement: CLINIC_JURISDICTION
      ? { jurisdiction: CLINIC_JURISDICTION }
      : CLINIC_LOCATION_HINT
        ? { locationHint: CLINIC_LOCATION_HINT }
        : {},
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
