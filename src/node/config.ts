// Node configuration: everything has a development default so `npm start` needs nothing.
// In development missing secrets are generated once into the data folder (with a warning); with
// NODE_ENV=production a missing secret stops the start with the variable's name.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import {
  adminToken,
  allowPrivateTargets,
  type PlatformApiBaseUrls,
  parseSecrets,
  platformApiBaseUrls,
  platformApiEnvSchema,
  publicBaseUrl,
  SECRET_NAMES,
  type Secrets,
} from '../config.js';
import type { RateLimitSettings } from '../deps.js';
import { parseTrustProxy, type TrustProxy } from '../http/client-address.js';
import type { Logger } from '../logger.js';
import { randomBytes, toBase64Url } from '../security/encoding.js';
import { TIMED_JOBS_INTERVAL_MS } from '../timed-jobs.js';

const envSchema = platformApiEnvSchema.extend({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_PATH: z.string().default('./data/agendai.db'),
  // Unset keeps Mivicall's limits; benchmarks and load tests raise them.
  RATE_LIMIT_PER_KEY_PER_MINUTE: z.coerce.number().int().positive().optional(),
  RATE_LIMIT_PER_KEY_PER_SECOND: z.coerce.number().int().positive().optional(),
  RATE_LIMIT_PER_IP_PER_MINUTE: z.coerce.number().int().positive().optional(),
  AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().positive().optional(),
  RATE_LIMIT_BOOKINGS_PER_IP_PER_HOUR: z.coerce.number().int().positive().optional(),
  // Which proxies may say who the client is (X-Forwarded-For); see src/http/client-address.ts.
  TRUST_PROXY: z.string().optional(),
  // Timed jobs (no-show detection, purges); 0 turns the timer off (e.g. when a cron runs them).
  SCHEDULER_INTERVAL_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .default(TIMED_JOBS_INTERVAL_MS / 1000),
  // Required in production; in development the server's own http://HOST:PORT.
  PUBLIC_BASE_URL: publicBaseUrl,
  WEBHOOKS_ALLOW_PRIVATE_TARGETS: allowPrivateTargets,
  // Unset: no /admin/v1 routes at all.
  ADMIN_TOKEN: adminToken,
});

export interface NodeConfig {
  env: z.infer<typeof envSchema>;
  databasePath: string;
  secrets: Secrets;
  /** Only the limits set in the environment; the rest keep their defaults. */
  rateLimits: Partial<RateLimitSettings>;
  trustProxy: TrustProxy;
  platformApiBaseUrls: PlatformApiBaseUrls;
}

/** Reads secrets from the environment, filling gaps from (or into) `<data folder>/secrets.json`. */
function resolveSecrets(
  env: NodeJS.ProcessEnv,
  production: boolean,
  dataDir: string,
  logger: Logger,
): Secrets {
  const missing = SECRET_NAMES.filter((name) => !env[name]);
  if (missing.length === 0 || production) return parseSecrets(env);
  const file = join(dataDir, 'secrets.json');
  const stored: Record<string, string> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  let generated = false;
  for (const name of missing) {
    if (!stored[name]) {
      stored[name] = toBase64Url(randomBytes(32));
      generated = true;
    }
  }
  if (generated) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  }
  logger.warn('development_secrets', {
    message: `Using generated development secrets from ${file}; set ${missing.join(', ')} in production`,
  });
  return parseSecrets({ ...stored, ...env });
}

export function loadNodeConfig(env: NodeJS.ProcessEnv, logger: Logger): NodeConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`Configuration error: ${issue.path.join('.')}: ${issue.message}`);
  }
  parseTrustProxy(parsed.data.TRUST_PROXY); // fails the start with the reason before anything opens
  const databasePath =
    parsed.data.DATABASE_PATH === ':memory:' ? ':memory:' : resolve(parsed.data.DATABASE_PATH);
  const dataDir = databasePath === ':memory:' ? resolve('./data') : dirname(databasePath);
  const production = parsed.data.NODE_ENV === 'production';
  const limits = {
    perKeyPerMinute: parsed.data.RATE_LIMIT_PER_KEY_PER_MINUTE,
    perKeyPerSecond: parsed.data.RATE_LIMIT_PER_KEY_PER_SECOND,
    perIpPerMinute: parsed.data.RATE_LIMIT_PER_IP_PER_MINUTE,
    authFailuresPerMinute: parsed.data.AUTH_FAILURES_PER_MINUTE,
    bookingsPerIpPerHour: parsed.data.RATE_LIMIT_BOOKINGS_PER_IP_PER_HOUR,
  };
  const rateLimits = Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined));
  const secrets = resolveSecrets(env, production, dataDir, logger);
  if (production && !parsed.data.PUBLIC_BASE_URL) {
    throw new Error(
      'Configuration error: PUBLIC_BASE_URL is required in production: the URL clients reach this ' +
        'service at (e.g. https://agendai.example.com); the URLs it prints are built from it',
    );
  }
  return {
    env: parsed.data,
    databasePath,
    secrets,
    rateLimits,
    trustProxy: parseTrustProxy(parsed.data.TRUST_PROXY),
    platformApiBaseUrls: platformApiBaseUrls(parsed.data),
  };
}
