// Process-memory rate limiter for the Node runtime (one process owns its counters).

import type { RateLimiter, RateLimitRule } from '../domain/rate-limit.js';
import { consumeWindow, isIdle, type WindowState } from '../domain/sliding-window.js';

export function memoryRateLimiter(): RateLimiter {
  const subjects = new Map<string, { state: WindowState; rules: RateLimitRule[] }>();
  let lastSweep = 0;
  return {
    async consume(subject, rules, now, record = true) {
      if (now - lastSweep > 60_000) {
        lastSweep = now;
        for (const [key, entry] of subjects) if (isIdle(entry.state, entry.rules, now)) subjects.delete(key);
      }
      let entry = subjects.get(subject);
      if (!entry) {
        entry = { state: {}, rules };
        subjects.set(subject, entry);
      }
      return consumeWindow(entry.state, rules, now, record);
    },
  };
}
