// Applies the limits: per API key (after auth) and per client IP on public routes. Every answer
// carries X-RateLimit-Limit / -Remaining / -Reset (unix seconds); a refusal is 429 with Retry-After.
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { DEFAULT_RATE_LIMITS } from '../deps.js';
import { AppError } from '../domain/errors.js';
import type { RateLimitDecision, RateLimitRule } from '../domain/rate-limit.js';
import { setAnswerHeader } from './answer-headers.js';
import { addressForLimits } from './client-address.js';
import type { AppEnv } from './env.js';
import { respondWithError } from './error-handler.js';

/** The limit's headers: before the handler through Hono (its answer starts with them), after it in place. */
function setHeaders(
  c: Context,
  decision: RateLimitDecision,
  set: (name: string, value: string) => void = c.header,
) {
  set('X-RateLimit-Limit', String(decision.limit));
  set('X-RateLimit-Remaining', String(decision.remaining));
  set('X-RateLimit-Reset', String(Math.ceil(decision.resetAt / 1000)));
}

function refuse(c: Context<AppEnv>, decision: RateLimitDecision, who: string) {
  const retryAfter = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
  return respondWithError(
    c,
    new AppError(
      'rate_limit_exceeded',
      `${who} exceeded ${decision.limit} requests; retry in ${retryAfter} seconds`,
      [],
      retryAfter,
    ),
  );
}

const limited = (
  subject: (c: Context<AppEnv>) => string | undefined,
  rules: (c: Context<AppEnv>) => RateLimitRule[],
  who: string,
) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const id = subject(c);
    if (id === undefined) return next();
    const { rateLimiter, clock } = c.var.deps;
    const decision = await rateLimiter.consume(id, rules(c), clock.now());
    setHeaders(c, decision);
    if (!decision.allowed) return refuse(c, decision, who);
    await next();
    setHeaders(c, decision, (name, value) => setAnswerHeader(c, name, value));
  });

const settings = (c: Context<AppEnv>) => ({ ...DEFAULT_RATE_LIMITS, ...c.var.deps.rateLimits });

/** 300 requests per sliding minute and 30 per second for each API key (configurable). */
export const rateLimitPerKey = limited(
  (c) => (c.get('credential') ? `key:${c.var.credential.keyId}` : undefined),
  (c) => [
    { name: 'minute', limit: settings(c).perKeyPerMinute, windowMs: 60_000 },
    { name: 'second', limit: settings(c).perKeyPerSecond, windowMs: 1_000 },
  ],
  'API key',
);

/** Online booking attempts per client address per hour (configurable), so one visitor cannot fill the diary. */
export const bookingAttemptsPerIp = limited(
  (c) => `booking-ip:${addressForLimits(c.var.deps.clientAddress?.(c))}`,
  (c) => [{ name: 'hour', limit: settings(c).bookingsPerIpPerHour, windowMs: 60 * 60_000 }],
  "This address's online bookings",
);

/** 100 requests per sliding minute for each client IP on public routes (configurable). */
export const rateLimitPerIp = limited(
  (c) => `ip:${addressForLimits(c.var.deps.clientAddress?.(c))}`,
  (c) => [{ name: 'minute', limit: settings(c).perIpPerMinute, windowMs: 60_000 }],
  'This address',
);
