// The booking core's command runner (runCommand) driven directly against a real SQLite store: retry,
// replay and the Idempotency-Key, as properties over random inputs. The plans here write to scratch
// tables, so what is under test is the runner's protocol, not any one booking rule.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type SQL, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, type Tenant } from '../../src/accounts/tenants.js';
import {
  type CommandPlan,
  decided,
  IDEMPOTENCY_RETENTION_MS,
  runCommand,
} from '../../src/booking/command.js';
import { type CommandContext, commandContext } from '../../src/booking/context.js';
import { canonicalJson } from '../../src/booking/idempotency-key.js';
import type { DoorAnswer, Outcome } from '../../src/booking/outcome.js';
import { openSqliteStore, type SqliteStore } from '../../src/db/sqlite.js';
import type { AppDeps } from '../../src/deps.js';
import { AppError } from '../../src/domain/errors.js';

const T0 = Date.parse('2026-03-02T09:00:00Z');

let dir: string;
let store: SqliteStore;
let tenant: Tenant;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'agendai-command-'));
  store = openSqliteStore(join(dir, 'db.sqlite'));
  tenant = await createTenant(
    store.db,
    { name: 'Runner clinic', timezone: 'Europe/Lisbon', country: 'PT', status: 'active' },
    T0,
  );
  // Scratch tables for the plans' effects: `effects` is what a command did (its constraints give
  // property 5 a statement that fails inside the unit), `flags` the facts an outcome's `when` reads
  // after the writes, `state` a version that a "concurrent writer" moves under a plan.
  store.sqlite.exec(`
    CREATE TABLE test_effects (
      id INTEGER PRIMARY KEY,
      command_id TEXT NOT NULL,
      note TEXT NOT NULL CHECK (length(note) > 0)
    );
    CREATE TABLE test_flags (command_id TEXT NOT NULL, outcome INTEGER NOT NULL);
    CREATE TABLE test_state (id INTEGER PRIMARY KEY, version INTEGER NOT NULL);
  `);
});

afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Each property run starts from an empty key table and empty scratch tables. */
function reset() {
  store.sqlite.exec(
    'DELETE FROM idempotency_keys; DELETE FROM test_effects; DELETE FROM test_flags; DELETE FROM test_state;',
  );
}

const count = (query: string, ...params: unknown[]) =>
  (store.sqlite.prepare(query).get(...params) as { n: number }).n;
const effectsBy = (commandId: string) =>
  count('SELECT count(*) AS n FROM test_effects WHERE command_id = ?', commandId);
const allEffects = () => count('SELECT count(*) AS n FROM test_effects');
const keyRows = () => count('SELECT count(*) AS n FROM idempotency_keys');
const unansweredKeys = () =>
  count('SELECT count(*) AS n FROM idempotency_keys WHERE response_status IS NULL');
const storedAnswer = (key: string) =>
  store.sqlite
    .prepare(
      `SELECT response_status AS status, response_body AS body, response_location AS location
       FROM idempotency_keys WHERE tenant_id = ? AND key = ?`,
    )
    .get(tenant.id, key) as DoorAnswer | undefined;

/** Every table but the key table, row by row: a plan that writes nothing leaves this unchanged. */
function snapshotOutsideKeys(): string {
  const tables = store.sqlite
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'idempotency_keys' ORDER BY name",
    )
    .all() as { name: string }[];
  return JSON.stringify(
    tables.map(({ name }) => [name, store.sqlite.prepare(`SELECT * FROM "${name}"`).all()]),
  );
}

/** A fake clock the test moves by hand. */
const clockAt = (start: number) => {
  const clock = { at: start, now: () => clock.at };
  return clock;
};
type TestClock = ReturnType<typeof clockAt>;

/**
 * runCommand reads only `store` and `clock` from the dependencies, so this test builds just those two;
 * the cast stands for the rest of AppDeps (vault, logger, rate limiter), which the runner never touches.
 */
const runnerOnlyDeps = (clock: TestClock) => ({ store, clock }) as unknown as AppDeps;

/** A door's answer function that counts its calls (and the outcomes it rendered). */
function countingDoor(render: (outcome: Outcome) => DoorAnswer) {
  const rendered: Outcome[] = [];
  return {
    rendered,
    answer: (outcome: Outcome) => {
      rendered.push(outcome);
      return render(outcome);
    },
  };
}

/** The context a door would build, through the real builder (so the fingerprint is the real one). */
async function contextFor(opts: {
  clock: TestClock;
  answer: (outcome: Outcome) => DoorAnswer;
  key?: string;
  input?: unknown;
}): Promise<CommandContext> {
  return commandContext({
    deps: runnerOnlyDeps(opts.clock),
    tenant,
    actor: 'key:test',
    source: 'manual',
    answer: opts.answer,
    key:
      opts.key === undefined
        ? undefined
        : { value: opts.key, scope: 'test', operation: 'op', input: opts.input },
  });
}

/**
 * Stand-in outcomes: a label the door's rendering shows. `refused` is used only because it is the
 * variant that needs no appointment; the runner treats every outcome as opaque.
 */
const labelled = (label: string): Outcome => ({
  kind: 'refused',
  refusal: new AppError('slot_conflict', label),
});
const labelOf = (outcome: Outcome) => (outcome.kind === 'refused' ? outcome.refusal.message : outcome.kind);
const renderLabel = (outcome: Outcome): DoorAnswer => ({
  status: 200,
  body: JSON.stringify({ label: labelOf(outcome) }),
  location: null,
});

const wroteEffect = (commandId: string): SQL =>
  sql`EXISTS (SELECT 1 FROM test_effects WHERE command_id = ${commandId})`;

/** The plan of an ordinary command: one effect, and the outcome "done by <this command>" if it landed. */
const oneEffect =
  (note: string) =>
  async (commandId: string): Promise<CommandPlan> => ({
    writes: (guard) => [
      sql`INSERT INTO test_effects (command_id, note) SELECT ${commandId}, ${note} WHERE ${guard}`,
    ],
    outcomes: [{ when: wroteEffect(commandId), outcome: labelled(`done by ${commandId}`) }],
  });

/**
 * A plan that reads a version of `state` row `id` and writes only while it still holds (a guarded
 * single statement, as the core writes). For its first `moves` calls a concurrent writer bumps the
 * version right after the read, so the unit finds the snapshot stale and no outcome holds.
 */
function planWithMovingState(id: number, moves: number, note: string) {
  store.sqlite.prepare('INSERT OR IGNORE INTO test_state (id, version) VALUES (?, 0)').run(id);
  let calls = 0;
  const plan = async (commandId: string): Promise<CommandPlan> => {
    const { version } = store.sqlite.prepare('SELECT version FROM test_state WHERE id = ?').get(id) as {
      version: number;
    };
    if (calls++ < moves)
      store.sqlite.prepare('UPDATE test_state SET version = version + 1 WHERE id = ?').run(id);
    const asRead = sql`EXISTS (SELECT 1 FROM test_state WHERE id = ${id} AND version = ${version})`;
    return {
      writes: (guard) => [
        sql`INSERT INTO test_effects (command_id, note) SELECT ${commandId}, ${note} WHERE ${guard} AND ${asRead}`,
      ],
      outcomes: [{ when: wroteEffect(commandId), outcome: labelled(`done by ${commandId}`) }],
    };
  };
  return { plan, calls: () => calls };
}

// A header value of `""` is a quoted empty key, which is refused (parseIdempotencyKey strips quotes).
const idempotencyKey = fc.stringMatching(/^[\x21-\x7e]{1,40}$/).filter((k) => k !== '""');
const ticks = (n: number) =>
  new Array(n)
    .fill(0)
    .reduce((p: Promise<void>) => p.then(() => new Promise(setImmediate)), Promise.resolve());

/** A plan that must not be called (a replay or a refusal comes before planning). */
function countedPlan() {
  let calls = 0;
  return {
    plan: async (commandId: string) => {
      calls++;
      return oneEffect('unexpected')(commandId);
    },
    calls: () => calls,
  };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('runCommand with an Idempotency-Key', () => {
  it('1. concurrent runs with the same key and input: one effect, one fresh answer, the same bytes for all', async () => {
    await fc.assert(
      fc.asyncProperty(
        idempotencyKey,
        fc.jsonValue({ maxDepth: 2 }),
        fc.array(fc.nat(3), { minLength: 1, maxLength: 40 }),
        async (key, input, delays) => {
          reset();
          const clock = clockAt(T0);
          // Each run's own rendering names its own command, so only a replay can make them agree.
          const ctx = await contextFor({ clock, answer: renderLabel, key, input });
          const results = await Promise.all(
            delays.map(async (delay) => {
              // Some runs start in the same turn (one group commit), others a few turns later.
              await ticks(delay);
              return runCommand(ctx, oneEffect(key));
            }),
          );
          expect(allEffects()).toBe(1);
          expect(results.filter((r) => !r.replayed)).toHaveLength(1);
          const first = results[0]!.answer;
          for (const { answer } of results) expect(answer).toStrictEqual(first);
          const { command_id } = store.sqlite.prepare('SELECT command_id FROM test_effects').get() as {
            command_id: string;
          };
          expect(first).toStrictEqual(renderLabel(labelled(`done by ${command_id}`)));
          expect(storedAnswer(ctx.idempotency!.key)).toStrictEqual(first);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('2. a plan whose snapshot keeps moving is planned again until it holds, once, and never leaves the key stuck', async () => {
    await fc.assert(
      fc.asyncProperty(idempotencyKey, fc.integer({ min: 0, max: 19 }), async (key, moves) => {
        reset();
        const clock = clockAt(T0);
        const ctx = await contextFor({ clock, answer: renderLabel, key, input: { moves } });
        const moving = planWithMovingState(1, moves, 'moving');
        const result = await runCommand(ctx, moving.plan);
        expect(result.replayed).toBe(false);
        expect(moving.calls()).toBe(moves + 1);
        expect(allEffects()).toBe(1);
        expect(unansweredKeys()).toBe(0);
        const never = countedPlan();
        const again = await runCommand(ctx, never.plan);
        expect(again).toStrictEqual({ answer: result.answer, replayed: true });
        expect(never.calls()).toBe(0);
        expect(allEffects()).toBe(1);
      }),
      { numRuns: 10 },
    );
  });

  it('2b. a snapshot that never holds ends in concurrent_modification with nothing written and the key free', async () => {
    reset();
    const clock = clockAt(T0);
    const ctx = await contextFor({ clock, answer: renderLabel, key: 'always-moving', input: 1 });
    const moving = planWithMovingState(1, Number.POSITIVE_INFINITY, 'moving');
    const error = await rejection(runCommand(ctx, moving.plan));
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('concurrent_modification');
    expect(moving.calls()).toBe(20);
    expect(allEffects()).toBe(0);
    expect(keyRows()).toBe(0);
    const retry = await runCommand(ctx, oneEffect('retry'));
    expect(retry.replayed).toBe(false);
    expect(allEffects()).toBe(1);
  });

  it('3. the same key with another input is refused; after the retention it runs as new', async () => {
    const distinctInputs = fc
      .tuple(fc.jsonValue({ maxDepth: 2 }), fc.jsonValue({ maxDepth: 2 }))
      .filter(([a, b]) => canonicalJson(a) !== canonicalJson(b));
    await fc.assert(
      fc.asyncProperty(
        idempotencyKey,
        distinctInputs,
        fc.integer({ min: 0, max: IDEMPOTENCY_RETENTION_MS }),
        fc.integer({ min: 1, max: IDEMPOTENCY_RETENTION_MS }),
        async (key, [a, b], within, beyond) => {
          reset();
          const clock = clockAt(T0);
          const first = await contextFor({ clock, answer: renderLabel, key, input: a });
          const other = await contextFor({ clock, answer: renderLabel, key, input: b });
          const original = await runCommand(first, oneEffect('a'));
          expect(original.replayed).toBe(false);

          clock.at = T0 + within; // still within the 24 h
          const planB = countedPlan();
          const error = await rejection(runCommand(other, planB.plan));
          expect(error).toBeInstanceOf(AppError);
          expect((error as AppError).code).toBe('idempotency_key_reused');
          expect(planB.calls()).toBe(0);
          expect(await runCommand(first, oneEffect('a'))).toStrictEqual({
            answer: original.answer,
            replayed: true,
          });
          expect(allEffects()).toBe(1);

          clock.at = T0 + IDEMPOTENCY_RETENTION_MS + beyond; // past it: the key counts as new
          const fresh = await runCommand(other, oneEffect('b'));
          expect(fresh.replayed).toBe(false);
          expect(allEffects()).toBe(2);
          expect(fresh.answer).not.toStrictEqual(original.answer);
          // The key now belongs to the new input: the old one is the stranger.
          const stranger = await rejection(runCommand(first, oneEffect('a')));
          expect((stranger as AppError).code).toBe('idempotency_key_reused');
          expect(await runCommand(other, oneEffect('b'))).toStrictEqual({
            answer: fresh.answer,
            replayed: true,
          });
        },
      ),
      { numRuns: 30 },
    );
  });

  it("3b. concurrent runs with one key and mixed inputs: the winner's input replays, every other is refused", async () => {
    await fc.assert(
      fc.asyncProperty(
        idempotencyKey,
        fc.array(fc.record({ input: fc.nat(2), delay: fc.nat(2) }), { minLength: 2, maxLength: 20 }),
        async (key, runs) => {
          reset();
          const clock = clockAt(T0);
          const contexts = await Promise.all(
            [0, 1, 2].map((input) => contextFor({ clock, answer: renderLabel, key, input })),
          );
          const settled = await Promise.allSettled(
            runs.map(async ({ input, delay }) => {
              await ticks(delay);
              return runCommand(contexts[input]!, oneEffect(`input ${input}`));
            }),
          );
          expect(allEffects()).toBe(1);
          const { note } = store.sqlite.prepare('SELECT note FROM test_effects').get() as { note: string };
          const fresh = settled.flatMap((s) =>
            s.status === 'fulfilled' && !s.value.replayed ? [s.value] : [],
          );
          expect(fresh).toHaveLength(1);
          settled.forEach((s, i) => {
            if (`input ${runs[i]!.input}` === note) {
              expect(s.status).toBe('fulfilled');
              expect((s as PromiseFulfilledResult<{ answer: DoorAnswer }>).value.answer).toStrictEqual(
                fresh[0]!.answer,
              );
            } else {
              expect(s.status).toBe('rejected');
              expect((s as PromiseRejectedResult).reason).toMatchObject({ code: 'idempotency_key_reused' });
            }
          });
        },
      ),
      { numRuns: 25 },
    );
  });

  const doorAnswer = fc.record(
    {
      status: fc.integer({ min: 100, max: 599 }),
      body: fc.string({ unit: 'grapheme', maxLength: 40 }),
      location: fc.option(fc.string({ unit: 'grapheme', maxLength: 20 })),
    },
    { noNullPrototype: true },
  );
  const candidates = fc
    .array(fc.record({ holds: fc.boolean(), answer: doorAnswer }), { minLength: 1, maxLength: 6 })
    .filter((cs) => cs.some((c) => c.holds));

  it('4. the recorded answer is the rendering of the first outcome whose `when` holds after the writes', async () => {
    await fc.assert(
      fc.asyncProperty(idempotencyKey, candidates, async (key, cases) => {
        reset();
        const clock = clockAt(T0);
        // The door renders candidate i as cases[i].answer.
        const door = countingDoor((o) => cases[Number(labelOf(o))]!.answer);
        const ctx = await contextFor({ clock, answer: door.answer, key, input: cases.length });
        // Each `when` reads a flag that the plan's own writes set in the unit (so it can only hold
        // when evaluated after them); cases whose flag is not written never hold.
        const plan = async (commandId: string): Promise<CommandPlan> => ({
          writes: (guard) => [
            sql`INSERT INTO test_effects (command_id, note) SELECT ${commandId}, 'cases' WHERE ${guard}`,
            ...cases.flatMap((c, i) =>
              c.holds
                ? [sql`INSERT INTO test_flags (command_id, outcome) SELECT ${commandId}, ${i} WHERE ${guard}`]
                : [],
            ),
          ],
          outcomes: cases.map((_, i) => ({
            when: sql`EXISTS (SELECT 1 FROM test_flags WHERE command_id = ${commandId} AND outcome = ${i})`,
            outcome: labelled(String(i)),
          })),
        });
        const winner = cases.findIndex((c) => c.holds);
        const result = await runCommand(ctx, plan);
        expect(result).toStrictEqual({ answer: cases[winner]!.answer, replayed: false });
        expect(storedAnswer(ctx.idempotency!.key)).toStrictEqual(cases[winner]!.answer);
        expect(await runCommand(ctx, plan)).toStrictEqual({ answer: cases[winner]!.answer, replayed: true });
        expect(allEffects()).toBe(1);
      }),
      { numRuns: 40 },
    );
  });

  it('4b. a decided(...) plan records the rendering of its outcome and writes nothing else', async () => {
    await fc.assert(
      fc.asyncProperty(
        idempotencyKey,
        doorAnswer,
        fc.integer({ min: 0, max: 3 }),
        async (key, answer, moves) => {
          reset();
          store.sqlite.prepare('INSERT INTO test_state (id, version) VALUES (1, 0)').run();
          const clock = clockAt(T0);
          const door = countingDoor(() => answer);
          const ctx = await contextFor({ clock, answer: door.answer, key, input: 'decided' });
          // The snapshot decides the answer, valid while the version read still holds; a concurrent writer
          // moves it for the first `moves` plans (that writer's own change is not this command's write).
          let calls = 0;
          let before = '';
          const plan = async () => {
            const { version } = store.sqlite.prepare('SELECT version FROM test_state WHERE id = 1').get() as {
              version: number;
            };
            if (calls++ < moves)
              store.sqlite.prepare('UPDATE test_state SET version = version + 1 WHERE id = 1').run();
            return decided(
              sql`EXISTS (SELECT 1 FROM test_state WHERE id = 1 AND version = ${version})`,
              labelled('d'),
            );
          };
          const result = await runCommand(ctx, async () => {
            const p = await plan();
            // Snapshot taken after the plan (and its concurrent writer), right before the unit.
            before = snapshotOutsideKeys();
            return p;
          });
          expect(result).toStrictEqual({ answer, replayed: false });
          expect(snapshotOutsideKeys()).toBe(before);
          expect(calls).toBe(moves + 1);
          expect(storedAnswer(ctx.idempotency!.key)).toStrictEqual(answer);
          expect(unansweredKeys()).toBe(0);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('5. a failure inside the unit leaves neither effect nor key, stands alone in its group, and the retry runs', async () => {
    const failing = fc.constantFrom(
      // NOT NULL, CHECK and PRIMARY KEY violations, each only while the command holds its key.
      (commandId: string, guard: SQL) =>
        sql`INSERT INTO test_effects (command_id, note) SELECT ${commandId}, NULL WHERE ${guard}`,
      (commandId: string, guard: SQL) =>
        sql`INSERT INTO test_effects (command_id, note) SELECT ${commandId}, '' WHERE ${guard}`,
      (commandId: string, guard: SQL) =>
        sql`INSERT INTO test_effects (id, command_id, note) SELECT -1, ${commandId}, 'twice' FROM (SELECT 1 UNION ALL SELECT 2) WHERE ${guard}`,
    );
    await fc.assert(
      fc.asyncProperty(
        idempotencyKey,
        fc.boolean(),
        fc.integer({ min: 1, max: 4 }),
        fc.nat(),
        failing,
        async (key, withKey, good, at, fail) => {
          reset();
          const clock = clockAt(T0);
          const ctx = await contextFor({
            clock,
            answer: renderLabel,
            key: withKey ? key : undefined,
            input: 5,
          });
          const bystander = await contextFor({
            clock,
            answer: renderLabel,
            key: `bystander-${key}`,
            input: 5,
          });
          const failed: string[] = [];
          const broken = async (commandId: string): Promise<CommandPlan> => {
            failed.push(commandId);
            return {
              writes: (guard) => {
                const writes = Array.from(
                  { length: good },
                  (_, i) =>
                    sql`INSERT INTO test_effects (command_id, note) SELECT ${commandId}, ${`w${i}`} WHERE ${guard}`,
                );
                writes.splice(at % (good + 1), 0, fail(commandId, guard));
                return writes;
              },
              outcomes: [{ when: wroteEffect(commandId), outcome: labelled('broken') }],
            };
          };
          // Both units reach the store in the same turn: one group commit, one savepoint each.
          const [error, other] = await Promise.all([
            rejection(runCommand(ctx, broken)),
            runCommand(bystander, oneEffect('bystander')),
          ]);
          expect(String(error)).toMatch(/constraint/i);
          expect(failed).toHaveLength(1);
          expect(effectsBy(failed[0]!)).toBe(0);
          expect(other.replayed).toBe(false);
          expect(allEffects()).toBe(1);
          expect(keyRows()).toBe(1); // the bystander's only
          if (withKey) expect(storedAnswer(ctx.idempotency!.key)).toBeUndefined();

          const retry = await runCommand(ctx, oneEffect('retry'));
          expect(retry.replayed).toBe(false);
          expect(allEffects()).toBe(2);
          if (withKey) {
            expect(await runCommand(ctx, oneEffect('retry'))).toStrictEqual({
              answer: retry.answer,
              replayed: true,
            });
            expect(allEffects()).toBe(2);
          }
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe('runCommand without a key', () => {
  it('6. every run takes effect, and the door renders only the winning outcome, once per run', async () => {
    const run = fc.record({
      holds: fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }).filter((hs) => hs.some(Boolean)),
      moves: fc.integer({ min: 0, max: 3 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(run, { minLength: 1, maxLength: 10 }), async (runs) => {
        reset();
        const clock = clockAt(T0);
        const door = countingDoor(renderLabel);
        const ctx = await contextFor({ clock, answer: door.answer });
        const results = await Promise.all(
          runs.map(async ({ holds, moves }, r) => {
            const moving = planWithMovingState(r + 1, moves, `run ${r}`);
            const plan = async (commandId: string): Promise<CommandPlan> => {
              const base = await moving.plan(commandId);
              return {
                writes: base.writes,
                // Candidate i holds when the effect landed and its truth value is true.
                outcomes: holds.map((h, i) => ({
                  when: sql`(${wroteEffect(commandId)} AND ${h ? 1 : 0})`,
                  outcome: labelled(`run ${r} case ${i}`),
                })),
              };
            };
            const result = await runCommand(ctx, plan);
            expect(moving.calls()).toBe(moves + 1);
            return result;
          }),
        );
        expect(allEffects()).toBe(runs.length);
        expect(keyRows()).toBe(0);
        expect(door.rendered.map(labelOf).sort()).toStrictEqual(
          runs.map(({ holds }, r) => `run ${r} case ${holds.indexOf(true)}`).sort(),
        );
        results.forEach((result, r) => {
          expect(result).toStrictEqual({
            answer: renderLabel(labelled(`run ${r} case ${runs[r]!.holds.indexOf(true)}`)),
            replayed: false,
          });
        });
      }),
      { numRuns: 15 },
    );
  });

  it('6b. an outcome given as a function is built only when it holds (a refusal costs nothing otherwise)', async () => {
    reset();
    const door = countingDoor(renderLabel);
    const ctx = await contextFor({ clock: clockAt(T0), answer: door.answer });
    const built: string[] = [];
    const lazily = (label: string) => () => {
      built.push(label);
      return labelled(label);
    };
    const result = await runCommand(
      ctx,
      async (commandId): Promise<CommandPlan> => ({
        writes: (guard) => [
          sql`INSERT INTO test_effects (command_id, note) SELECT ${commandId}, 'lazy' WHERE ${guard}`,
        ],
        outcomes: [
          { when: sql`0`, outcome: lazily('never') },
          { when: wroteEffect(commandId), outcome: lazily('done') },
          { when: sql`1`, outcome: lazily('refused') },
        ],
      }),
    );
    expect(built).toStrictEqual(['done']);
    expect(door.rendered.map(labelOf)).toStrictEqual(['done']);
    expect(result).toStrictEqual({ answer: renderLabel(labelled('done')), replayed: false });
    // With a key every outcome's answer is rendered before the unit (one is recorded inside it).
    const keyed = await contextFor({ clock: clockAt(T0), answer: renderLabel, key: 'lazy-key', input: {} });
    built.length = 0;
    await runCommand(
      keyed,
      async (commandId): Promise<CommandPlan> => ({
        writes: (guard) => [
          sql`INSERT INTO test_effects (command_id, note) SELECT ${commandId}, 'lazy' WHERE ${guard}`,
        ],
        outcomes: [
          { when: wroteEffect(commandId), outcome: lazily('done') },
          { when: sql`1`, outcome: lazily('refused') },
        ],
      }),
    );
    expect(built).toStrictEqual(['done', 'refused']);
    expect(storedAnswer(keyed.idempotency!.key)).toStrictEqual(renderLabel(labelled('done')));
  });
});
