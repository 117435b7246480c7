// Work a request leaves for after its answer (the API key's last-use touch, a webhook delivery run),
// so the caller never waits on it. Workers: `waitUntil` keeps the request alive for it. Node: it starts
// when the response has gone out (the Node server's `close` of the response), off the critical path
// of the event loop turn that answers. An entry or a test may choose otherwise (AppDeps.afterAnswer).
import type { Context } from 'hono';
import { errorMessage } from '../domain/errors.js';
import type { AppEnv } from './env.js';

interface NodeResponse {
  once(event: 'close', listener: () => void): unknown;
  writableFinished?: boolean;
  destroyed?: boolean;
}

/** Runs `work` after the answer; a failure is logged, never answered. */
export function afterAnswer(c: Context<AppEnv>, work: () => Promise<unknown>): void {
  const { deps } = c.var;
  const run = () => {
    const running = work().then(
      () => undefined,
      (error: unknown) =>
        deps.logger.error('after_answer_failed', {
          requestId: c.var.requestId,
          error: errorMessage(error),
        }),
    );
    const unfinished = deps.unfinished;
    if (unfinished) {
      unfinished.add(running);
      void running.then(() => unfinished.delete(running));
    }
    return running;
  };
  if (deps.afterAnswer) {
    deps.afterAnswer(run);
    return;
  }
  // Node's response first: asking Hono for an execution context where there is none throws, and
  // building that error cost 2% of a voice tool call.
  const outgoing = (c.env as { outgoing?: NodeResponse } | undefined)?.outgoing;
  if (outgoing) {
    if (!outgoing.writableFinished && !outgoing.destroyed) outgoing.once('close', () => void run());
    else void run();
    return;
  }
  const ctx = executionContext(c);
  if (ctx) {
    ctx.waitUntil(run());
    return;
  }
  void run();
}

// Hono's getter throws where the runtime gave none (Node, a test calling app.fetch directly).
function executionContext(c: Context<AppEnv>) {
  try {
    return c.executionCtx;
  } catch {
    return undefined;
  }
}
