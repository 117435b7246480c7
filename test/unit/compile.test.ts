// The write path's compiler (src/db/compile.ts) against drizzle's own: the same text and parameters,
// for the core's real statement builders and for random templates of every chunk kind drizzle knows,
// including the kinds the fast walk hands back to drizzle.
import { and, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import { alias, SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AppointmentRow,
  fewerUpcomingSelfService,
  insertAppointmentIf,
  insertHistoryIf,
  isBookable,
  overlaps,
  updateAppointmentIf,
  writtenBy,
} from '../../src/db/appointments.js';
import { compile, compileQuickly } from '../../src/db/compile.js';
import {
  claimKey,
  holdsClaim,
  readKey,
  recordAnswer,
  releaseUnanswered,
  selectAnswerIndex,
} from '../../src/db/idempotency.js';
import { enqueueMessageIf } from '../../src/db/messages.js';
import {
  appointmentHistory,
  appointments,
  callEvents,
  calls,
  professionals,
  webhookEndpoints,
} from '../../src/db/schema.js';
import { openSqliteStore } from '../../src/db/sqlite.js';
import { statementOf } from '../../src/db/store.js';

const dialect = new SQLiteSyncDialect();
/** What the store compiled before: drizzle's text, booleans as 0/1. */
const byDrizzle = (query: SQL) => {
  const { sql: text, params } = dialect.sqlToQuery(query);
  return { sql: text, params: params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p)) };
};
const same = (query: SQL) => expect(compile(query)).toStrictEqual(byDrizzle(query));

const row: AppointmentRow = {
  id: 'apt-1',
  tenantId: 't-1',
  professionalId: 'p-1',
  serviceTypeId: 's-1',
  patientName: 'Ana "Quoted" O\'Neil',
  patientNameSearch: 'ana quoted o neil',
  patientPhoneHash: 'v1:abc',
  patientPhoneEncrypted: 'cipher',
  bookedByPhoneHash: null,
  startsAt: 1_800_000_000_000,
  endsAt: 1_800_001_800_000,
  blocksUntil: 1_800_001_800_000,
  status: 'confirmed',
  source: 'voice_ai',
  patientNotes: null,
  metadata: { nested: { a: [1, 2] }, flag: true },
  cancellationReason: null,
  callId: null,
  patientId: 'pat_1',
  patientEmail: null,
  title: null,
  description: null,
  durationMinutes: null,
  confirmedAt: null,
  confirmedBy: null,
  confirmedVia: null,
  version: 1,
  lastCommandId: 'cmd-1',
  createdAt: 1_799_000_000_000,
  updatedAt: 1_799_000_000_000,
};
const ref = { tenantId: 't-1', key: 'scope:key' };

describe('compile', () => {
  it("gives drizzle's text and parameters for the booking unit's statements", () => {
    const slot = {
      tenantId: 't-1',
      professionalId: 'p-1',
      startsAt: row.startsAt,
      blocksUntil: row.blocksUntil,
    };
    const bookable = [isBookable('professionals', 't-1', 'p-1'), isBookable('services', 't-1', 's-1')];
    const statements = [
      insertAppointmentIf(row, [
        sql`NOT ${overlaps(slot)}`,
        ...bookable,
        fewerUpcomingSelfService('t-1', ['a', 'b'], 5, 3),
      ]),
      updateAppointmentIf('t-1', 'apt-1', 3, 'cmd-2', 9, { status: 'cancelled', metadata: { x: 1 } }, [
        holdsClaim(ref, 'cmd-2'),
      ]),
      insertHistoryIf(
        {
          tenantId: 't-1',
          appointmentId: 'apt-1',
          action: 'created',
          actor: 'key:x',
          changes: {},
          occurredAt: 5,
        },
        'cmd-1',
      ),
      enqueueMessageIf(
        { kind: 'confirmation', tenantId: 't-1', appointmentId: 'apt-1', dedupeKey: 'd', now: 5 },
        writtenBy('apt-1', 'cmd-1'),
      ),
      claimKey(ref, 'fp', 'cmd-1', 5, 1),
      recordAnswer(ref, 'cmd-1', [
        { when: writtenBy('apt-1', 'cmd-1'), answer: { status: 201, body: '{"ok":true}', location: '/a' } },
        { when: sql`1`, answer: { status: 409, body: '{}', location: null } },
      ]),
      releaseUnanswered(ref, 'cmd-1'),
      readKey(ref),
      selectAnswerIndex([writtenBy('apt-1', 'cmd-1'), sql`1`]),
    ];
    for (const statement of statements) {
      same(statement);
      // None of them is left to drizzle's slower walk.
      expect(compileQuickly(statement)).toBeDefined();
    }
  });

  it("gives drizzle's text for columns, tables, aliases, operators and query builders", () => {
    const other = alias(appointments, 'o');
    same(sql`SELECT ${appointments.startsAt} FROM ${appointments} WHERE ${eq(appointments.id, 'x')}`);
    same(
      sql`SELECT ${other.startsAt} FROM ${appointments} ${sql.identifier('o')} WHERE ${other.id} = ${'y'}`,
    );
    same(and(eq(appointments.tenantId, 't'), inArray(appointments.source, ['manual', 'voice_ai'])) as SQL);
    same(sql`${sql.param({ a: 1 }, appointmentHistory.changes)} ${sql.placeholder('p')} ${sql.raw('raw')}`);
    same(sql`${[1, 'two', null, true]} ${sql`inner ${false}`.inlineParams()}`);
    same(sql`${professionals.active} = ${true} AND ${undefined} ${new Date(0)} ${{ plain: 1 }}`);
  });

  it("gives a write builder's own toSQL() through statementOf, without drizzle's walk", async () => {
    const store = openSqliteStore(':memory:');
    try {
      const { db } = store;
      const call = {
        id: 'c-1',
        tenantId: 't-1',
        integrationId: 'i-1',
        platform: 'vapi' as const,
        externalCallId: 'x-1',
        status: 'in_progress' as const,
        startedAt: 1,
        metadata: { a: [1, { b: null }] },
        createdAt: 1,
        updatedAt: 1,
      };
      const builders = [
        db.insert(calls).values(call).onConflictDoNothing(),
        db.update(calls).set({ outcome: 'booked', updatedAt: 2, metadata: {} }).where(eq(calls.id, 'c-1')),
        db
          .update(calls)
          .set({ endedAt: 3 })
          .where(and(eq(calls.id, 'c-1'), isNull(calls.endedAt), sql`${calls.outcome} < ${2}`)),
        db.insert(callEvents).values([
          {
            id: 'e-1',
            tenantId: 't-1',
            callId: 'c-1',
            eventType: 'tool_call',
            toolInput: { q: 1 },
            occurredAt: 1,
          },
          {
            id: 'e-2',
            tenantId: 't-1',
            callId: 'c-1',
            eventType: 'speech',
            role: 'caller',
            transcript: 'hi',
            occurredAt: 2,
          },
        ]),
        db.update(professionals).set({ active: false, updatedAt: 4 }).where(eq(professionals.id, 'p-1')),
        db
          .update(webhookEndpoints)
          .set({ disabledAt: 5, disabledReason: 'gone', updatedAt: 5 })
          .where(and(eq(webhookEndpoints.id, 'w-1'), isNull(webhookEndpoints.disabledAt))),
      ];
      for (const builder of builders) {
        const { sql: text, params } = builder.toSQL();
        expect(statementOf(builder)).toStrictEqual({
          sql: text,
          params: params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p)),
        });
        expect(compileQuickly(builder.getSQL())).toBeDefined();
      }
    } finally {
      await store.close();
    }
  });

  it("gives drizzle's text for random templates of every chunk kind", () => {
    const leaf = fc.oneof(
      fc.string().map((s) => sql.raw(s)),
      fc.oneof(fc.string(), fc.integer(), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null)),
      fc.string().map((s) => sql.identifier(s)),
      fc.constantFrom(
        appointments.id,
        appointments.metadata,
        professionals.name,
        appointments,
        professionals,
      ),
      fc.jsonValue().map((v) => sql.param(v, appointments.metadata)),
      fc.constant(sql.placeholder('p')),
      fc.constant(undefined),
    );
    const tree = fc.letrec<{ node: unknown }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.array(tie('node'), { maxLength: 4 }).map((chunks) => sql.join(chunks as SQL[], sql`, `)),
        fc.array(tie('node'), { maxLength: 3 }),
        fc.tuple(tie('node'), fc.boolean()).map(([n, inline]) => {
          const s = sql`(${n})`;
          return inline ? s.inlineParams() : s;
        }),
      ),
    })).node;
    fc.assert(
      fc.property(tree, (node) => {
        same(sql`SELECT ${node}`);
      }),
      { numRuns: 500 },
    );
  });
});
