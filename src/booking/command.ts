// Runs a write of the booking core as one atomic unit, honouring an Idempotency-Key.
//
// A command is planned from a snapshot (reads, and checks that refuse early with an AppError), then its
// writes run in one unit guarded by SQL conditions, never by values read in between. The unit also
// decides the outcome in SQL: the first case whose condition holds after the writes. When none holds,
// the snapshot went stale under us (a concurrent change), and the command is planned again.
//
// With a key, the door's answer to every possible outcome is rendered before the unit and the one that
// holds is recorded inside it (docs/invariants.md I-5, I-6): a retry replays those bytes whatever
// changed since, and a crash can never leave a write without its answer or an answer without its write.
import type { SQL } from 'drizzle-orm';
import {
  claimKey,
  findFreshKey,
  holdsClaim,
  type KeyRef,
  readKey,
  recordAnswer,
  releaseUnanswered,
  selectAnswerIndex,
} from '../db/idempotency.js';
import { ALWAYS, compile } from '../db/store.js';
import { AppError } from '../domain/errors.js';
import { HOUR } from '../domain/time.js';
import type { CommandContext } from './context.js';
import type { DoorAnswer, Outcome } from './outcome.js';

/** Keys are kept (and honoured) for 24 hours; an older key counts as new. */
export const IDEMPOTENCY_RETENTION_MS = 24 * HOUR;
// Each retry means another writer changed the same appointment first; a busy appointment sees a few.
const MAX_ATTEMPTS = 20;

export interface CommandPlan<O = Outcome> {
  /** The writes, each carrying `guard` (true only while this command holds its key). */
  writes(guard: SQL): SQL[];
  /**
   * Possible outcomes in order; each `when` is evaluated after the writes, inside the unit. When the
   * writes land, one of them must hold (put "my writes landed", e.g. writtenBy, first): the runner
   * reads "none holds" as "the state moved, nothing was written" and plans again. An outcome may be
   * given as a function, called only when it is the one that holds (or its answer is recorded under a
   * key): a refusal's AppError captures a stack, wasted on every booking that is not refused.
   */
  outcomes: { when: SQL; outcome: O | (() => O) }[];
}

const outcomeOf = <O>(o: { outcome: O | (() => O) }): O =>
  typeof o.outcome === 'function' ? (o.outcome as () => O)() : o.outcome;

export interface CommandResult {
  /** The door's answer: fresh, or the recorded one when `replayed`. */
  answer: DoorAnswer;
  replayed: boolean;
}

export interface IdempotencyRequest {
  /** The caller's scope and key (see idempotencyFor). */
  key: string;
  fingerprint: string;
}

/** A plan whose outcome is already decided by the snapshot, valid only while `stillTrue` holds. */
export const decided = <O = Outcome>(stillTrue: SQL, outcome: O): CommandPlan<O> => ({
  writes: () => [],
  outcomes: [{ when: stillTrue, outcome }],
});

export interface Stored {
  fingerprint: string;
  status: unknown;
  body: unknown;
  location: unknown;
}

/** A stored key's answer for a retry: 422 for another request under the key, 409 while it is being answered. */
export function replay(stored: Stored, fingerprint: string): CommandResult {
  if (stored.fingerprint !== fingerprint) {
    throw new AppError(
      'idempotency_key_reused',
      'This Idempotency-Key was already used with a different request; use a new key for a new request',
    );
  }
  if (stored.status === null || stored.status === undefined) {
    // Unreachable for commands (one atomic unit); a callback holds its key while the platform dials
    // (src/voice/callbacks.ts), and a duplicate sent meanwhile gets this.
    throw new AppError('idempotency_key_in_use', 'A request with this Idempotency-Key is in progress', [], 1);
  }
  return { answer: recorded(stored), replayed: true };
}

const recorded = (row: { status: unknown; body: unknown; location: unknown }): DoorAnswer => ({
  status: Number(row.status),
  body: String(row.body ?? ''),
  location: (row.location as string | null) ?? null,
});

/**
 * The answer already recorded for this context's key, if any (a retry). A door calls this before
 * reads that the first call's write would change (the appointment a retried cancel looks up is gone).
 */
export async function recordedAnswer<O>(ctx: CommandContext<O>): Promise<CommandResult | null> {
  const found = await storedAnswer(ctx);
  // The command this door runs next need not look again (see CommandContext.keyUnanswered).
  if (!found && ctx.idempotency) ctx.keyUnanswered = true;
  return found;
}

async function storedAnswer<O>(ctx: CommandContext<O>): Promise<CommandResult | null> {
  const { idempotency } = ctx;
  if (!idempotency) return null;
  const cutoff = ctx.deps.clock.now() - IDEMPOTENCY_RETENTION_MS;
  const stored = await findFreshKey(
    ctx.deps.store.db,
    { tenantId: ctx.tenant.id, key: idempotency.key },
    cutoff,
  );
  if (!stored) return null;
  const { fingerprint, responseStatus: status, responseBody: body, responseLocation: location } = stored;
  return replay({ fingerprint, status, body, location }, idempotency.fingerprint);
}

/** Plans and runs a command; `plan` is called again if the state it read moved before the write. */
export async function runCommand<O = Outcome>(
  ctx: CommandContext<O>,
  plan: (commandId: string, now: number) => Promise<CommandPlan<O>>,
): Promise<CommandResult> {
  const { store, clock } = ctx.deps;
  const { idempotency } = ctx;
  const ref: KeyRef | undefined = idempotency && { tenantId: ctx.tenant.id, key: idempotency.key };
  // Used once: a later run with the same context looks for itself.
  const doorLooked = ctx.keyUnanswered === true;
  ctx.keyUnanswered = false;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (attempt > 0) {
      await new Promise((resume) => setTimeout(resume, Math.random() * attempt));
      // The state moved under the last plan: the next one reads the catalogue as it is now.
      ctx.catalog?.forget();
    }
    const now = clock.now();
    const cutoff = now - IDEMPOTENCY_RETENTION_MS;
    // The door may have just looked (voice checks for a retried tool call first): not twice.
    const previous = attempt === 0 && doorLooked ? null : await storedAnswer(ctx);
    if (previous) return previous;
    const commandId = crypto.randomUUID();
    const { writes, outcomes } = await plan(commandId, now);
    if (!ref || !idempotency) {
      const results = await store.atomic(
        [...writes(ALWAYS), selectAnswerIndex(outcomes.map((o) => o.when))].map(compile),
      );
      const index = results.at(-1)?.rows[0]?.answer;
      if (index === null || index === undefined) continue;
      return { answer: await ctx.answer(outcomeOf(outcomes[Number(index)]!)), replayed: false };
    }
    const answers = await Promise.all(outcomes.map((o) => ctx.answer(outcomeOf(o))));
    const results = await store.atomic(
      [
        claimKey(ref, idempotency.fingerprint, commandId, now, cutoff),
        ...writes(holdsClaim(ref, commandId)),
        recordAnswer(
          ref,
          commandId,
          outcomes.map((o, i) => ({ when: o.when, answer: answers[i]! })),
        ),
        releaseUnanswered(ref, commandId),
        readKey(ref),
      ].map(compile),
    );
    const row = results.at(-1)?.rows[0] as (Stored & { claim: string }) | undefined;
    if (!row) continue; // released: nothing written, plan again
    if (row.claim !== commandId) return replay(row, idempotency.fingerprint);
    return { answer: recorded(row), replayed: false };
  }
  throw new AppError(
    'concurrent_modification',
    'The appointment kept changing while this request ran; retry',
    [],
    1,
  );
}
