// Builds the app's dependencies on Workers: D1 store, Web Crypto vault, Durable Object limiter.
import { vaultKeys } from '../config.js';
import { openD1Store } from '../db/d1.js';
import type { Store } from '../db/store.js';
import type { AppDeps } from '../deps.js';
import { type Clock, systemClock } from '../domain/clock.js';
import { jsonLogger, type Logger } from '../logger.js';
import { telnyxRest } from '../messaging/providers/telnyx.js';
import { twilioRest } from '../messaging/providers/twilio-rest.js';
import { literalEgress } from '../security/egress.js';
import { sha256Hex } from '../security/encoding.js';
import { createPhoneVault } from '../security/phone-vault.js';
import { createLinkSigner } from '../security/signed-link.js';
import type { WorkerConfig } from './env.js';
import { durableObjectRateLimiter } from './rate-limiter.js';

export interface WorkerDepsOptions {
  clock?: Clock;
  logger?: Logger;
  /** Overrides the limits from the env (tests). */
  rateLimits?: AppDeps['rateLimits'];
  /** Prefix of every rate-limit subject (keeps independent apps' counters apart). */
  rateLimitScope?: string;
  /** AppDeps.sendMessagesAfterWrites; default on (test harnesses turn it off). */
  sendMessagesAfterWrites?: boolean;
  /** The clinic's own store (a clinic's Durable Object); unset, the D1 binding's. */
  store?: Store;
}

export async function buildWorkerDeps(
  config: WorkerConfig,
  options: WorkerDepsOptions = {},
): Promise<AppDeps> {
  return {
    store: options.store ?? openD1Store(requireD1(config)),
    vault: await createPhoneVault(vaultKeys(config.secrets)),
    sha256Hex,
    clock: options.clock ?? systemClock,
    logger: options.logger ?? jsonLogger(),
    rateLimiter: durableObjectRateLimiter(config.rateLimiter, options.rateLimitScope),
    rateLimits: options.rateLimits ?? config.rateLimits,
    // Set by Cloudflare's edge on every request; a client cannot forge it.
    clientAddress: (c) => c.req.header('cf-connecting-ip'),
    // No DNS on Workers: literal addresses and local names are refused, names go to the platform.
    egress: literalEgress(config.allowPrivateTargets),
    publicBaseUrl: config.publicBaseUrl,
    links: await createLinkSigner(config.secrets.PHONE_ENCRYPTION_KEY.secret),
    platformApiBaseUrls: config.platformApiBaseUrls,
    adminToken: config.adminToken,
    sendMessagesAfterWrites: options.sendMessagesAfterWrites ?? true,
    // The Twilio SDK needs Node's http and crypto; the Worker speaks Twilio's REST contract with fetch.
    messageProviders: {
      twilio: twilioRest(config.platformApiBaseUrls.twilio),
      telnyx: telnyxRest(config.platformApiBaseUrls.telnyx),
    },
  };
}

function requireD1(config: WorkerConfig): D1Database {
  if (!config.db) throw new Error('Configuration error: DB: no D1 binding and no clinic store');
  return config.db;
}
