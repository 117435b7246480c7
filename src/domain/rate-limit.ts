// Rate limiting behind an interface: process memory on Node, a Workers-native store on Workers.
// Limits follow Mivicall: per key 300/min (sliding) and 30/s burst; per IP 100/min on public routes.

export interface RateLimitRule {
  /** Distinguishes windows of one subject, e.g. "minute" and "second". */
  name: string;
  limit: number;
  windowMs: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  /** The rule that is closest to (or over) its limit: what the X-RateLimit-* headers report. */
  limit: number;
  remaining: number;
  /** Epoch ms when that rule's window has room again. */
  resetAt: number;
  /** When refused: how long until a request would be allowed. */
  retryAfterMs: number;
}

export interface RateLimiter {
  /**
   * Counts one request of `subject` against every rule, atomically; refused requests do not count.
   * With `record` false it only answers whether one more would be allowed (a look, no count).
   */
  consume(subject: string, rules: RateLimitRule[], now: number, record?: boolean): Promise<RateLimitDecision>;
}
