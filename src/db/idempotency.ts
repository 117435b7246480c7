// Statements of the idempotency protocol (docs/invariants.md I-1 … I-9). A command
// claims its key, writes only while it holds the claim, and records its answer, all in one atomic
// unit: no "in progress" state is ever visible and nothing is left stuck after a crash.
import { and, eq, gte, type SQL, sql } from 'drizzle-orm';
import { q } from './fragment.js';
import { idempotencyKeys } from './schema.js';
import { type Db, preparedOnce } from './store.js';

export type IdempotencyRow = typeof idempotencyKeys.$inferSelect;

export interface KeyRef {
  tenantId: string;
  key: string;
}

/** The stored answer for a key, if it is younger than `cutoff`. */
const freshKey = preparedOnce((db) =>
  db
    .select()
    .from(idempotencyKeys)
    .where(
      and(
        eq(idempotencyKeys.tenantId, sql.placeholder('tenantId')),
        eq(idempotencyKeys.key, sql.placeholder('key')),
        gte(idempotencyKeys.createdAt, sql.placeholder('cutoff')),
      ),
    )
    .limit(1)
    .prepare(),
);

export async function findFreshKey(db: Db, ref: KeyRef, cutoff: number): Promise<IdempotencyRow | undefined> {
  const [row] = await freshKey(db).all({ tenantId: ref.tenantId, key: ref.key, cutoff });
  return row;
}

/** Takes the key, or takes it over only when the existing row is past retention. */
export const claimKey = (
  ref: KeyRef,
  fingerprint: string,
  claim: string,
  now: number,
  cutoff: number,
): SQL => q`
  INSERT INTO idempotency_keys (tenant_id, key, fingerprint, claim, created_at)
  VALUES (${ref.tenantId}, ${ref.key}, ${fingerprint}, ${claim}, ${now})
  ON CONFLICT (tenant_id, key) DO UPDATE SET
    fingerprint = excluded.fingerprint, claim = excluded.claim, created_at = excluded.created_at,
    response_status = NULL, response_body = NULL, response_location = NULL
  WHERE idempotency_keys.created_at < ${cutoff}`;

/** SQL condition: this command holds the key. Every write of the command carries it. */
export const holdsClaim = (ref: KeyRef, claim: string): SQL =>
  q`EXISTS (SELECT 1 FROM idempotency_keys WHERE tenant_id = ${ref.tenantId} AND key = ${ref.key} AND claim = ${claim})`;

export interface RecordedAnswer {
  status: number;
  body: string;
  location: string | null;
}

/** Picks the first answer whose SQL condition holds after the writes; NULL when none does. */
const pick = (cases: { when: SQL; value: unknown }[]) =>
  q`CASE ${q.join(
    cases.map((c) => q`WHEN ${c.when} THEN ${c.value}`),
    ' ',
  )} ELSE NULL END`;

export function recordAnswer(
  ref: KeyRef,
  claim: string,
  cases: { when: SQL; answer: RecordedAnswer }[],
): SQL {
  return q`
    UPDATE idempotency_keys SET
      response_status = ${pick(cases.map((c) => ({ when: c.when, value: c.answer.status })))},
      response_body = ${pick(cases.map((c) => ({ when: c.when, value: c.answer.body })))},
      response_location = ${pick(cases.map((c) => ({ when: c.when, value: c.answer.location })))}
    WHERE tenant_id = ${ref.tenantId} AND key = ${ref.key} AND claim = ${claim}`;
}

/** No answer could be decided (state moved under the command): give the key back so it can rerun. */
export const releaseUnanswered = (ref: KeyRef, claim: string): SQL => q`
  DELETE FROM idempotency_keys
  WHERE tenant_id = ${ref.tenantId} AND key = ${ref.key} AND claim = ${claim} AND response_status IS NULL`;

export const readKey = (ref: KeyRef): SQL => q`
  SELECT fingerprint, claim, response_status AS status, response_body AS body, response_location AS location
  FROM idempotency_keys WHERE tenant_id = ${ref.tenantId} AND key = ${ref.key}`;

/** Which answer applies, as an index into the cases, or -1 (for commands without a key). */
export const selectAnswerIndex = (conditions: SQL[]): SQL =>
  q`SELECT ${pick(conditions.map((when, i) => ({ when, value: i })))} AS answer`;

export const purgeKeysBefore = (cutoff: number): SQL =>
  sql`DELETE FROM idempotency_keys WHERE created_at < ${cutoff}`;
