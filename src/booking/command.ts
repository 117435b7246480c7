// Runs a write of the booking core as one atomic unit, honouring an Idempotency-Key.
//
// A command is planned from a snapshot (reads, checks that give friendly 404/422 errors), then its
// writes run in one unit guarded by SQL conditions, never by values read in between. The unit also
// decides the answer in SQL: the first case whose condition holds after the writes. When none holds,
// the snapshot went stale under us (a concurrent change), and the command is planned again.
import type { SQL } from 'drizzle-orm';
import {
  claimKey,
  findFreshKey,
  holdsClaim,
  type KeyRef,
  type RecordedAnswer,
  readKey,
  recordAnswer,
  releaseUnanswered,
  selectAnswerIndex,
} from '../db/idempotency.js';
import { ALWAYS, compile, type Store } from '../db/store.js';
import { HOUR } from '../domain/time.js';
import { AppError } from '../domain/errors.js';

/** Keys are kept (and honoured) for 24 hours; an older key counts as new. */
export const IDEMPOTENCY_RETENTION_MS = 24 * HOUR;
// Each retry means another writer changed the same appointment first; a busy appointment sees a few.
const MAX_ATTEMPTS = 20;

export type Answer = RecordedAnswer;

export interface CommandPlan {
  /** The writes, each carrying `guard` (true only while this command holds its key). */
  writes(guard: SQL): SQL[];
  /** Possible answers in order; each `when` is evaluated after the writes, inside the unit. */
  answers: { when: SQL; answer: Answer }[];
}

export interface CommandResult {
  answer: Answer;
  replayed: boolean;
}

export interface IdempotencyRequest {
  key: string;
  fingerprint: string;
}

function replay(
  stored: { fingerprint: string; status: unknown; body: unknown; location: unknown },
  fingerprint: string,
) {
  if (stored.fingerprint !== fingerprint) {
    throw new AppError(
      'idempotency_key_reused',
      'This Idempotency-Key was already used with a different request; use a new key for a new request',
    );
  }
  if (stored.status === null || stored.status === undefined) {
    // Unreachable with atomic units; kept as the documented answer for a key still being processed.
    throw new AppError('idempotency_key_in_use', 'A request with this Idempotency-Key is in progress', [], 1);
  }
  return {
    answer: {
      status: Number(stored.status),
      body: String(stored.body),
      location: (stored.location as string) ?? null,
    },
    replayed: true,
  };
}

/** Plans and runs a command; `plan` is called again if the state it read moved before the write. */
export async function runCommand(
  store: Store,
  tenantId: string,
  now: number,
  idempotency: IdempotencyRequest | undefined,
  plan: (commandId: string) => Promise<CommandPlan>,
): Promise<CommandResult> {
  const cutoff = now - IDEMPOTENCY_RETENTION_MS;
  const ref: KeyRef | undefined = idempotency && { tenantId, key: idempotency.key };
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (attempt > 0) await new Promise((resume) => setTimeout(resume, Math.random() * attempt));
    if (ref && idempotency) {
      const stored = await findFreshKey(store.db, ref, cutoff);
      if (stored) {
        const {
          fingerprint,
          responseStatus: status,
          responseBody: body,
          responseLocation: location,
        } = stored;
        return replay({ fingerprint, status, body, location }, idempotency.fingerprint);
      }
    }
    const commandId = crypto.randomUUID();
    const { writes, answers } = await plan(commandId);
    if (!ref || !idempotency) {
      const results = await store.atomic(
        [...writes(ALWAYS), selectAnswerIndex(answers.map((a) => a.when))].map(compile),
      );
      const index = results.at(-1)?.rows[0]?.answer;
      if (index !== null && index !== undefined)
        return { answer: answers[Number(index)]!.answer, replayed: false };
      continue;
    }
    const results = await store.atomic(
      [
        claimKey(ref, idempotency.fingerprint, commandId, now, cutoff),
        ...writes(holdsClaim(ref, commandId)),
        recordAnswer(ref, commandId, answers),
        releaseUnanswered(ref, commandId),
        readKey(ref),
      ].map(compile),
    );
    const row = results.at(-1)?.rows[0];
    if (!row) continue; // released: nothing written, plan again
    if (row.claim !== commandId) return replay(row as never, idempotency.fingerprint);
    return {
      answer: {
        status: Number(row.status),
        body: String(row.body),
        location: (row.location as string) ?? null,
      },
      replayed: false,
    };
  }
  throw new AppError(
    'concurrent_modification',
    'The appointment kept changing while this request ran; retry',
    [],
    1,
  );
}
