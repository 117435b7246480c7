// Rate limiting on Workers: one Durable Object per subject (API key or client IP) holds that
// subject's sliding-window log and decides with the same pure `consumeWindow` as Node. A Durable
// Object is single-threaded and globally unique, so concurrent requests from every data centre are
// counted against one log, one at a time.
//
// The log is kept in the object's storage, not only in memory: an idle object may be evicted after
// about ten seconds, well inside a one-minute window, and would otherwise forget what it counted.
// The SQLite-backed storage's synchronous API keeps each decision and its write one step, and an
// alarm deletes the log once its longest window has passed without requests (no storage kept for
// every address that ever called).
import { DurableObject } from 'cloudflare:workers';
import type { RateLimitDecision, RateLimiter, RateLimitRule } from '../domain/rate-limit.js';
import { consumeWindow, type WindowState } from '../domain/sliding-window.js';

const LOG = 'log';

interface Log {
  state: WindowState;
  /** Wall-clock ms after which the log holds nothing that matters and can be deleted. */
  forgetAt: number;
}

export class RateLimiterObject extends DurableObject {
  private log?: Log;
  private alarmSet = false;

  /** Counts one request against every rule; refused requests do not count. */
  async consume(rules: RateLimitRule[], now: number, record = true): Promise<RateLimitDecision> {
    this.log ??= this.ctx.storage.kv.get<Log>(LOG) ?? { state: {}, forgetAt: 0 };
    const log = this.log;
    const decision = consumeWindow(log.state, rules, now, record);
    if (decision.allowed && record) {
      log.forgetAt = Date.now() + Math.max(...rules.map((rule) => rule.windowMs));
      this.ctx.storage.kv.put(LOG, log);
      if (!this.alarmSet) {
        this.alarmSet = true;
        await this.ctx.storage.setAlarm(log.forgetAt);
      }
    }
    return decision;
  }

  override async alarm() {
    this.log ??= this.ctx.storage.kv.get<Log>(LOG);
    const log = this.log;
    if (log && Date.now() < log.forgetAt) {
      await this.ctx.storage.setAlarm(log.forgetAt);
      return;
    }
    this.log = undefined;
    this.alarmSet = false;
    await this.ctx.storage.deleteAll();
  }
}

/**
 * The RateLimiter of the app over the Durable Object namespace. `scope` prefixes every subject so
 * that independent apps sharing one namespace (test files) never share counters.
 */
export function durableObjectRateLimiter(
  namespace: DurableObjectNamespace<RateLimiterObject>,
  scope = '',
): RateLimiter {
  return {
    consume: (subject, rules, now, record) =>
      namespace.getByName(`${scope}${subject}`).consume(rules, now, record),
  };
}
