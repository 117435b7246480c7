// Builds the app's dependencies on Workers: the clinic object's store, Web Crypto vault, Durable
// Object limiter.
import { vaultKeys } from '../config.js';
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
  /** The store of the clinic's Durable Object (or of the lobby's). */
  store: Store;
}

export async function buildWorkerDeps(config: WorkerConfig, options: WorkerDepsOptions): Promise<AppDeps> {
  return {
    store: options.store,
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
