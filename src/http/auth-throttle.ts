// Failed authentication is throttled, so keys and webhook secrets cannot be guessed at request rate:
// after `authFailuresPerMinute` failures (default 20) from one subject (a client IP for API keys, a
// voice integration for platform secrets) every further attempt is refused with 429 and Retry-After
// until the sliding minute has room, before the credential is even looked at. Successes cost nothing.
import type { Context } from 'hono';
import { DEFAULT_RATE_LIMITS } from '../deps.js';
import { AppError, type ErrorCode } from '../domain/errors.js';
import type { RateLimitRule } from '../domain/rate-limit.js';
import { addressForLimits } from './client-address.js';
import type { AppEnv } from './env.js';

const FAILURES: readonly ErrorCode[] = ['malformed_auth_header', 'invalid_api_key', 'invalid_signature'];

const rules = (c: Context<AppEnv>): RateLimitRule[] => [
  {
    name: 'auth-failures',
    limit: c.var.deps.rateLimits?.authFailuresPerMinute ?? DEFAULT_RATE_LIMITS.authFailuresPerMinute,
    windowMs: 60_000,
  },
];

/** Runs `attempt` unless `subject` is over its failure budget; counts the attempt if it fails to authenticate. */
export async function throttleAuthFailures<T>(
  c: Context<AppEnv>,
  subject: string,
  attempt: () => Promise<T>,
): Promise<T> {
  const { rateLimiter, clock } = c.var.deps;
  const look = await rateLimiter.consume(`auth-fail:${subject}`, rules(c), clock.now(), false);
  if (!look.allowed) {
    const retryAfter = Math.max(1, Math.ceil(look.retryAfterMs / 1000));
    throw new AppError(
      'rate_limit_exceeded',
      `Too many failed authentications; retry in ${retryAfter} seconds`,
      [],
      retryAfter,
    );
  }
  try {
    return await attempt();
  } catch (error) {
    if (error instanceof AppError && FAILURES.includes(error.code)) {
      await rateLimiter.consume(`auth-fail:${subject}`, rules(c), clock.now());
    }
    throw error;
  }
}

/** The subject of API-key failures: the client's address as the runtime reports it. */
export const clientSubject = (c: Context<AppEnv>) => `ip:${addressForLimits(c.var.deps.clientAddress?.(c))}`;
