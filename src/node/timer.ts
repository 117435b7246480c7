// The Node process's clock for the timed jobs (on Workers each clinic's object uses its alarm instead): runs them every
// `intervalMs`, never two runs at once, logging what they changed; a failure is logged, not fatal.
import type { AppDeps } from '../deps.js';
import { errorMessage } from '../domain/errors.js';
import { changedAnything, runTimedJobs } from '../timed-jobs.js';

/** Starts the timer; returns the function that stops it. `intervalMs` 0 starts nothing. */
export function startTimedJobs(deps: AppDeps, intervalMs: number): () => void {
  if (intervalMs <= 0) return () => {};
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      const report = await runTimedJobs(deps, deps.clock.now());
      if (changedAnything(report)) deps.logger.info('scheduled_jobs', { ...report });
    } catch (error) {
      deps.logger.error('scheduled_jobs_failed', {
        error: errorMessage(error),
      });
    } finally {
      running = false;
    }
  }, intervalMs);
  // The timer alone does not keep the process alive.
  timer.unref();
  return () => clearInterval(timer);
}
