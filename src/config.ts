// Secrets shared by every runtime, validated with zod. Each key is `[v<N>:]<base64 of 32 bytes>`;
// the *_PREVIOUS variables keep the last key working during a rotation.
import { z } from 'zod';
import { fromBase64 } from './security/encoding.js';
import type { PhoneVaultKeys, VersionedKey } from './security/phone-vault.js';

const key = (name: string) =>
  z
    .string({ error: `${name} is required` })
    .trim()
    .transform((text, ctx): VersionedKey => {
      const match = /^(?:v(\d+):)?([A-Za-z0-9+/_-]+={0,2})$/.exec(text);
      let bytes = 0;
      try {
        bytes = match ? fromBase64(match[2]!).length : 0;
      } catch {
        bytes = 0;
      }
      if (!match || bytes !== 32) {
        ctx.addIssue({
          code: 'custom',
          message: `${name} must be 32 random bytes in base64 (optionally "v2:..."): openssl rand -base64 32`,
        });
        return z.NEVER;
      }
      return { version: match[1] ? Number(match[1]) : 1, secret: match[2]! };
    });

export const SECRET_NAMES = ['PHONE_HASH_KEY', 'PHONE_ENCRYPTION_KEY'] as const;

export const secretsSchema = z.object({
  PHONE_HASH_KEY: key('PHONE_HASH_KEY'),
  PHONE_HASH_KEY_PREVIOUS: key('PHONE_HASH_KEY_PREVIOUS').optional(),
  PHONE_ENCRYPTION_KEY: key('PHONE_ENCRYPTION_KEY'),
  PHONE_ENCRYPTION_KEY_PREVIOUS: key('PHONE_ENCRYPTION_KEY_PREVIOUS').optional(),
});

export type Secrets = z.infer<typeof secretsSchema>;

export function vaultKeys(secrets: Secrets): PhoneVaultKeys {
  const list = (current: VersionedKey, previous?: VersionedKey) =>
    previous ? [current, previous] : [current];
  return {
    hashKeys: list(secrets.PHONE_HASH_KEY, secrets.PHONE_HASH_KEY_PREVIOUS),
    encryptionKeys: list(secrets.PHONE_ENCRYPTION_KEY, secrets.PHONE_ENCRYPTION_KEY_PREVIOUS),
  };
}

/** Parses secrets, turning a failure into one readable line that names the variable. */
export function parseSecrets(env: Record<string, string | undefined>): Secrets {
  const result = secretsSchema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new Error(`Configuration error: ${issue.path.join('.')}: ${issue.message}`);
  }
  return result.data;
}

/**
 * WEBHOOKS_ALLOW_PRIVATE_TARGETS: "true" lets clinic-chosen URLs (webhooks, an OpenAI baseURL)
 * reach loopback and private networks. Off by default (SSRF); development and tests opt in.
 */
export const allowPrivateTargets = z
  .enum(['true', 'false', ''], { error: 'WEBHOOKS_ALLOW_PRIVATE_TARGETS must be "true" or "false"' })
  .optional()
  .transform((v) => v === 'true');

/**
 * PUBLIC_BASE_URL: where clients reach this service (e.g. https://agendai.example.com), the only
 * source of the URLs it prints; never the request's Host header. Kept without a trailing slash.
 */
export const publicBaseUrl = z
  .url({
    protocol: /^https?$/,
    error: 'PUBLIC_BASE_URL must be an http(s) URL, e.g. https://agendai.example.com',
  })
  .refine((text) => {
    const url = URL.parse(text);
    return !url || (!url.search && !url.hash && !url.username && !url.password);
  }, 'PUBLIC_BASE_URL takes no query, fragment or credentials')
  .transform((text) => text.replace(/\/+$/, ''))
  .optional();

/**
 * Where each voice platform's API is, when not its public default: tests point them at local
 * stand-ins, an operator at a region (e.g. Telnyx's or Twilio's). Set by the operator only.
 */
const apiBaseUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .transform((text) => text.replace(/\/+$/, ''))
  .optional();

export const platformApiEnvSchema = z.object({
  VAPI_API_BASE_URL: apiBaseUrl,
  RETELL_API_BASE_URL: apiBaseUrl,
  TWILIO_API_BASE_URL: apiBaseUrl,
  TELNYX_API_BASE_URL: apiBaseUrl,
});

export type PlatformApiBaseUrls = Partial<Record<'vapi' | 'retell' | 'twilio' | 'telnyx', string>>;

export function platformApiBaseUrls(env: z.infer<typeof platformApiEnvSchema>): PlatformApiBaseUrls {
  const urls = {
    vapi: env.VAPI_API_BASE_URL,
    retell: env.RETELL_API_BASE_URL,
    twilio: env.TWILIO_API_BASE_URL,
    telnyx: env.TELNYX_API_BASE_URL,
  };
  return Object.fromEntries(Object.entries(urls).filter(([, v]) => v !== undefined));
}

/** Shortest ADMIN_TOKEN accepted: 32 characters (`openssl rand -base64 32` gives 44). */
export const ADMIN_TOKEN_MIN_LENGTH = 32;

/**
 * ADMIN_TOKEN: the bearer token of the operator's API (/admin/v1), which is off while it is unset.
 * A short token is refused at start-up: it guards every clinic at once.
 */
export const adminToken = z
  .string()
  .trim()
  .refine(
    (text) => text === '' || text.length >= ADMIN_TOKEN_MIN_LENGTH,
    `ADMIN_TOKEN must be at least ${ADMIN_TOKEN_MIN_LENGTH} characters (openssl rand -base64 32), or unset to turn the admin API off`,
  )
  .optional()
  .transform((text) => text || undefined);
