// After a successful write, deliver the events it may have queued without waiting for the timer:
// in the background on Node, through waitUntil on Workers (the response is not held up either way).
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../http/env.js';
import { kickDeliveries } from './delivery.js';

export const deliverAfterWrites = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  if (c.req.method === 'GET' || c.res.status >= 300) return;
  const run = kickDeliveries(c.var.deps);
  try {
    c.executionCtx.waitUntil(run);
  } catch {
    // No execution context: Node, where the process simply carries on with it.
  }
});
