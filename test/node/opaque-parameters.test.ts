// Bound parameters are written `+?` before SQLite compiles them (opaqueParameters in
// src/db/writer-thread.ts), so the planner never reads a bound value and a statement compiles once
// instead of on every run. This checks the rewrite itself, and that it changes no plan: every
// statement the service prepares on a REST booking, a day's list, availability and voice tool
// calls keeps the query plan SQLite gives the text as the code wrote it.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestApp } from '#harness';
import { opaqueParameters } from '../../src/db/writer-thread.js';
import { appointmentBody } from '../support/factories.js';
import type { TestApp } from '../support/types.js';
import { checkThenBook, VAPI_SECRET, vapiCaller } from '../support/vapi.js';
import { voiceClinic } from '../support/voice.js';

describe('opaqueParameters', () => {
  it('writes each parameter +? and leaves quoted text and comments alone', () => {
    const cases: [string, string][] = [
      [
        'SELECT a FROM t WHERE b = ? AND c IN (?, ?) LIMIT ?',
        'SELECT a FROM t WHERE b = +? AND c IN (+?, +?) LIMIT +?',
      ],
      ["x = 'what?' AND y = ?", "x = 'what?' AND y = +?"],
      ["x = 'it''s ?' AND y = ?", "x = 'it''s ?' AND y = +?"],
      ['"col?" = ? AND `a``?` = ? AND [b?] = ?', '"col?" = +? AND `a``?` = +? AND [b?] = +?'],
      ['SELECT ? -- a ? here\n, ? /* and ? here */, ?', 'SELECT +? -- a ? here\n, +? /* and ? here */, +?'],
      ["json_each(?, '$.a?')", "json_each(+?, '$.a?')"],
      ['SELECT 1', 'SELECT 1'],
      ["'unterminated ?", "'unterminated ?"],
    ];
    for (const [sql, expected] of cases) expect(opaqueParameters(sql)).toBe(expected);
  });

  it('gives the same answers for values of every kind', () => {
    const db = new Database(':memory:');
    const sql = 'SELECT ? AS v, typeof(?) AS t, ? = ? AS same';
    const values = [null, 0, 1, -7, 2 ** 40, 1.5, '', 'text', Buffer.from([1, 2]), BigInt(2) ** 62n];
    for (const value of values) {
      const plain = db.prepare(sql).get(value, value, value, value);
      expect(db.prepare(opaqueParameters(sql)).get(value, value, value, value)).toStrictEqual(plain);
    }
    db.close();
  });
});

describe("the service's statements keep their plans", () => {
  let app: TestApp;
  const prepared = new Set<string>();
  let connection: Database.Database | undefined;
  beforeAll(async () => {
    const prepare = Database.prototype.prepare;
    vi.spyOn(Database.prototype, 'prepare').mockImplementation(function (
      this: Database.Database,
      sql: string,
    ) {
      prepared.add(sql);
      connection = this;
      return prepare.call(this, sql);
    });
    // In memory: atomic units run on this thread's connection, so their statements are seen too.
    app = await startTestApp({ inMemory: true });
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await app.close();
  });

  it('on the REST door and the voice door', async () => {
    const v = await voiceClinic(app, 'vapi', { secret: VAPI_SECRET });
    const key = v.clinic.key;
    const created = await app.request('POST', '/v1/appointments', {
      key,
      headers: { 'idempotency-key': 'opaque-1' },
      body: appointmentBody({ professional: v.ana, service: v.consulta }, '2026-03-04T10:00:00Z'),
    });
    expect(created.status).toBe(201);
    expect((await app.request('GET', `/v1/appointments/${created.body.id}`, { key })).status).toBe(200);
    const day = await app.request('GET', '/v1/appointments', {
      key,
      query: { date: '2026-03-04', limit: '5' },
    });
    expect(day.body.items).toHaveLength(1);
    const week = await app.request('GET', '/v1/availability', {
      key,
      query: { serviceTypeId: v.consulta.id, from: '2026-03-02', to: '2026-03-08' },
    });
    expect(week.status).toBe(200);
    const call = vapiCaller(app, v.path, '+351912345679', 'call-opaque');
    await call('list_services');
    expect(await checkThenBook(call)).toMatch(/^Marcação confirmada/);
    expect(await call('cancel_appointment', {})).toMatch(/foi cancelada\.$/);
    await app.runScheduledJobs();

    const checked = [...prepared].filter(
      (sql) => sql.includes('+?') && /^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)/i.test(sql),
    );
    // A flow that prepared few statements would prove little.
    expect(checked.length).toBeGreaterThan(40);
    const db = connection as Database.Database;
    const plan = (text: string) => {
      const nulls = Array.from({ length: text.split('?').length - 1 }, () => null);
      return (db.prepare(`EXPLAIN QUERY PLAN ${text}`).all(...nulls) as { detail: string }[]).map(
        (r) => r.detail,
      );
    };
    for (const sql of checked) {
      const written = sql.replaceAll('+?', '?');
      expect(opaqueParameters(written)).toBe(sql);
      expect(plan(sql), written).toStrictEqual(plan(written));
    }
  });
});
