// The sliding-window-log rate limit algorithm, pure so that every limiter store (process memory on
// Node, a Durable Object on Workers) decides identically. State: request times per rule.
import type { RateLimitDecision, RateLimitRule } from './rate-limit.js';

export type WindowState = Record<string, number[]>;

/**
 * Decides one request against every rule and, when allowed and `record`, records it in `state` (mutated). The
 * answer describes the first rule (the primary window, e.g. per minute) unless another one refuses.
 */
export function consumeWindow(
  state: WindowState,
  rules: RateLimitRule[],
  now: number,
  record = true,
): RateLimitDecision {
  let primary: RateLimitDecision | undefined;
  let refused: RateLimitDecision | undefined;
  for (const rule of rules) {
    state[rule.name] ??= [];
    const times = state[rule.name]!;
    while (times.length && times[0]! <= now - rule.windowMs) times.shift();
    const full = times.length >= rule.limit;
    const resetAt = times.length ? times[0]! + rule.windowMs : now + rule.windowMs;
    const decision: RateLimitDecision = {
      allowed: !full,
      limit: rule.limit,
      remaining: Math.max(0, rule.limit - times.length - (full ? 0 : 1)),
      resetAt,
      retryAfterMs: full ? Math.max(0, times[times.length - rule.limit]! + rule.windowMs - now) : 0,
    };
    if (full && (!refused || decision.retryAfterMs > refused.retryAfterMs)) refused = decision;
    primary ??= decision;
  }
  if (refused) return refused;
  if (record) for (const rule of rules) state[rule.name]!.push(now);
  return primary ?? { allowed: true, limit: 0, remaining: 0, resetAt: now, retryAfterMs: 0 };
}

/** Whether the state holds nothing younger than the longest window (safe to forget). */
export const isIdle = (state: WindowState, rules: RateLimitRule[], now: number) =>
  rules.every((rule) => {
    const times = state[rule.name];
    return !times?.length || times[times.length - 1]! <= now - rule.windowMs;
  });
