import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import { appointmentBody, createProfessional, createService, setupClinic } from '../support/factories.js';
import type { TestApp } from '../support/types.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

type Setup = Awaited<ReturnType<typeof setupClinic>>;
const book = async (s: Setup, startsAt = '2026-05-14T10:00:00+01:00', extra = {}) => {
  const reply = await app.request('POST', '/v1/appointments', {
    key: s.clinic.key,
    body: appointmentBody(s, startsAt, extra),
  });
  expect(reply.status).toBe(201);
  return reply.body as { id: string; startsAt: string; status: string };
};
const patch = (s: Setup, id: string, body: unknown, headers: Record<string, string> = {}) =>
  app.request('PATCH', `/v1/appointments/${id}`, { key: s.clinic.key, body, headers });
const act = (s: Setup, id: string, action: string, body?: unknown, headers: Record<string, string> = {}) =>
  app.request('POST', `/v1/appointments/${id}/${action}`, { key: s.clinic.key, body, headers });

describe('status machine', () => {
  it.each([
    ['attended', 'attend'],
    ['cancelled', 'cancel'],
  ])('confirmed → %s by PATCH and by /%s', async (status, action) => {
    const s = await setupClinic(app);
    const a = await book(s);
    const viaPatch = await patch(s, a.id, { status });
    expect(viaPatch.status).toBe(200);
    expect(viaPatch.body.status).toBe(status);
    const b = await book(s, '2026-05-14T11:00:00+01:00');
    const viaAction = await act(s, b.id, action);
    expect(viaAction.status).toBe(200);
    expect(viaAction.body.status).toBe(status);
  });

  it('no_show only once the appointment has started', async () => {
    const s = await setupClinic(app);
    const a = await book(s, '2026-03-02T10:00:00Z');
    const early = await act(s, a.id, 'no-show');
    expect(early.status).toBe(409);
    expect(early.body.error).toBe('invalid_transition');
    app.setNow(Date.parse('2026-03-02T10:05:00Z'));
    try {
      const late = await act(s, a.id, 'no-show');
      expect(late.status).toBe(200);
      expect(late.body.status).toBe('no_show');
    } finally {
      app.setNow(Date.parse('2026-03-02T09:00:00Z'));
    }
  });

  it.each(['attended', 'cancelled'])(
    '%s is final: every other move is 409 invalid_transition',
    async (final) => {
      const s = await setupClinic(app);
      const a = await book(s);
      await patch(s, a.id, { status: final });
      for (const status of ['confirmed', 'attended', 'no_show', 'cancelled'].filter((x) => x !== final)) {
        const reply = await patch(s, a.id, { status });
        expect(reply.status, status).toBe(409);
        expect(reply.body.error).toBe('invalid_transition');
      }
      const move = await patch(s, a.id, { startsAt: '2026-05-15T10:00:00+01:00' });
      expect(move.status).toBe(409);
      expect(move.body.error).toBe('invalid_transition');
      const current = await app.request('GET', `/v1/appointments/${a.id}`, { key: s.clinic.key });
      expect(current.body.status).toBe(final);
    },
  );

  it('confirmed cannot go back to confirmed from rescheduled by status alone', async () => {
    const s = await setupClinic(app);
    const a = await book(s);
    await patch(s, a.id, { startsAt: '2026-05-15T10:00:00+01:00' });
    const reply = await patch(s, a.id, { status: 'confirmed' });
    expect(reply.status).toBe(409);
  });

  it('PATCH status rescheduled without a new time is 422', async () => {
    const s = await setupClinic(app);
    const a = await book(s);
    const reply = await patch(s, a.id, { status: 'rescheduled' });
    expect(reply.status).toBe(422);
  });

  it('repeating the current status is a harmless no-op', async () => {
    const s = await setupClinic(app);
    const a = await book(s);
    await patch(s, a.id, { status: 'attended' });
    const again = await patch(s, a.id, { status: 'attended' });
    expect(again.status).toBe(200);
    const history = await app.request('GET', `/v1/appointments/${a.id}/history`, { key: s.clinic.key });
    expect(history.body.items.map((h: { action: string }) => h.action)).toEqual(['created', 'attended']);
  });
});

describe('PATCH fields', () => {
  it('changes notes and merges metadata (null removes a key)', async () => {
    const s = await setupClinic(app);
    const a = await book(s, undefined, { metadata: { pmsId: 'A1', room: 2 } });
    const reply = await patch(s, a.id, { patientNotes: 'Traz exames', metadata: { room: null, floor: 1 } });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      patientNotes: 'Traz exames',
      metadata: { pmsId: 'A1', floor: 1 },
      status: 'confirmed',
    });
    expect(reply.body.metadata).not.toHaveProperty('room');
  });

  it('422 for an empty body, unknown fields, or a professional change without a time', async () => {
    const s = await setupClinic(app);
    const a = await book(s);
    for (const body of [{}, { patientName: 'X' }, { professionalId: s.professional.id }]) {
      const reply = await patch(s, a.id, body);
      expect(reply.status, JSON.stringify(body)).toBe(422);
    }
  });
});

describe('reschedule in place', () => {
  it('keeps the id, sets rescheduled, moves the slot and frees the old one', async () => {
    const s = await setupClinic(app);
    const a = await book(s, '2026-05-14T10:00:00+01:00');
    const moved = await patch(s, a.id, { startsAt: '2026-05-14T15:00:00+01:00' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({
      id: a.id,
      status: 'rescheduled',
      startsAt: '2026-05-14T15:00:00+01:00',
      endsAt: '2026-05-14T15:30:00+01:00',
    });
    expect((await book(s, '2026-05-14T10:00:00+01:00')).id).toBeTruthy();
    const again = await act(s, a.id, 'reschedule', { startsAt: '2026-05-14T16:00:00+01:00' });
    expect(again.body.status).toBe('rescheduled');
  });

  it('may move within its own current slot (overlapping itself is fine)', async () => {
    const s = await setupClinic(app);
    const a = await book(s, '2026-05-14T10:00:00+01:00');
    const reply = await patch(s, a.id, { startsAt: '2026-05-14T10:15:00+01:00' });
    expect(reply.status).toBe(200);
  });

  it('409 slot_conflict leaves the appointment untouched', async () => {
    const s = await setupClinic(app);
    const a = await book(s, '2026-05-14T10:00:00+01:00');
    await book(s, '2026-05-14T11:00:00+01:00');
    const before = await app.request('GET', `/v1/appointments/${a.id}`, { key: s.clinic.key });
    const reply = await patch(s, a.id, { startsAt: '2026-05-14T11:15:00+01:00', patientNotes: 'moved' });
    expect(reply.status).toBe(409);
    expect(reply.body.error).toBe('slot_conflict');
    const after = await app.request('GET', `/v1/appointments/${a.id}`, { key: s.clinic.key });
    expect(after.body).toEqual(before.body);
  });

  it('moves to another professional and service, with their duration', async () => {
    const s = await setupClinic(app);
    const other = await createProfessional(app, s.clinic, { name: 'Dr. Rui' });
    const long = await createService(app, s.clinic, { name: 'Longa', durationMinutes: 90 });
    const a = await book(s);
    const reply = await patch(s, a.id, {
      startsAt: '2026-05-14T10:00:00+01:00',
      professionalId: other.id,
      serviceTypeId: long.id,
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      professionalId: other.id,
      serviceTypeId: long.id,
      endsAt: '2026-05-14T11:30:00+01:00',
    });
  });

  it('404 for an unknown professional, 422 for a past time', async () => {
    const s = await setupClinic(app);
    const a = await book(s);
    const unknown = await patch(s, a.id, {
      startsAt: '2026-05-14T12:00:00+01:00',
      professionalId: crypto.randomUUID(),
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toBe('professional_not_found');
    const past = await patch(s, a.id, { startsAt: '2026-01-01T12:00:00Z' });
    expect(past.status).toBe(422);
  });

  it('concurrent reschedules of different appointments into one free slot: exactly one wins', async () => {
    const s = await setupClinic(app);
    const ids = [];
    for (let i = 0; i < 20; i++)
      ids.push((await book(s, new Date(Date.parse('2026-06-01T08:00:00Z') + i * 3600_000).toISOString())).id);
    const replies = await Promise.all(ids.map((id) => patch(s, id, { startsAt: '2026-06-02T10:00:00Z' })));
    expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
    expect(replies.filter((r) => r.status === 409 && r.body.error === 'slot_conflict')).toHaveLength(19);
    const rows = await app.sql(
      'SELECT count(*) AS n FROM appointments WHERE tenant_id = ? AND starts_at = ?',
      s.clinic.tenantId,
      Date.parse('2026-06-02T10:00:00Z'),
    );
    expect(rows[0]!.n).toBe(1);
  });

  it('concurrent changes to one appointment are applied one after another, none lost', async () => {
    const s = await setupClinic(app);
    const a = await book(s);
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) => patch(s, a.id, { metadata: { [`k${i}`]: i } })),
    );
    expect(replies.every((r) => r.status === 200)).toBe(true);
    const final = await app.request('GET', `/v1/appointments/${a.id}`, { key: s.clinic.key });
    expect(Object.keys(final.body.metadata)).toHaveLength(20);
  });
});

describe('cancel', () => {
  it('DELETE answers 204, keeps the record, frees the slot, and repeats harmlessly', async () => {
    const s = await setupClinic(app);
    const a = await book(s);
    const reply = await app.request('DELETE', `/v1/appointments/${a.id}`, { key: s.clinic.key });
    expect(reply.status).toBe(204);
    expect(reply.text).toBe('');
    const got = await app.request('GET', `/v1/appointments/${a.id}`, { key: s.clinic.key });
    expect(got.body.status).toBe('cancelled');
    expect((await app.request('DELETE', `/v1/appointments/${a.id}`, { key: s.clinic.key })).status).toBe(204);
    await book(s);
  });

  it('POST /cancel records the reason', async () => {
    const s = await setupClinic(app);
    const a = await book(s);
    const reply = await act(s, a.id, 'cancel', { reason: 'Doente' });
    expect(reply.body).toMatchObject({ status: 'cancelled', cancellationReason: 'Doente' });
    const bare = await act(s, (await book(s, '2026-05-14T12:00:00+01:00')).id, 'cancel');
    expect(bare.status).toBe(200);
  });

  it('DELETE of an attended appointment is 409', async () => {
    const s = await setupClinic(app);
    const a = await book(s);
    await act(s, a.id, 'attend');
    const reply = await app.request('DELETE', `/v1/appointments/${a.id}`, { key: s.clinic.key });
    expect(reply.status).toBe(409);
    expect(reply.body.error).toBe('invalid_transition');
  });
});

describe('Idempotency-Key on changes', () => {
  it('the PMS check-in (pms-checkin-{id}) replays', async () => {
    const s = await setupClinic(app);
    const a = await book(s);
    const headers = { 'Idempotency-Key': `pms-checkin-${a.id}` };
    const first = await patch(s, a.id, { status: 'attended' }, headers);
    const again = await patch(s, a.id, { status: 'attended' }, headers);
    expect(again.text).toBe(first.text);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });

  it('replays a recorded invalid transition and a slot conflict', async () => {
    const s = await setupClinic(app);
    const a = await book(s);
    await book(s, '2026-05-14T11:00:00+01:00');
    const conflict = await patch(
      s,
      a.id,
      { startsAt: '2026-05-14T11:00:00+01:00' },
      { 'Idempotency-Key': 'move-1' },
    );
    expect(conflict.status).toBe(409);
    const replay = await patch(
      s,
      a.id,
      { startsAt: '2026-05-14T11:00:00+01:00' },
      { 'Idempotency-Key': 'move-1' },
    );
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.text).toBe(conflict.text);
  });

  it('the same key on another appointment is 422, not a replay of the first', async () => {
    const s = await setupClinic(app);
    const a = await book(s);
    const b = await book(s, '2026-05-14T11:00:00+01:00');
    await act(s, a.id, 'attend', undefined, { 'Idempotency-Key': 'same' });
    const other = await act(s, b.id, 'attend', undefined, { 'Idempotency-Key': 'same' });
    expect(other.status).toBe(422);
    expect(other.body.error).toBe('idempotency_key_reused');
  });

  it('50 parallel identical reschedules with one key: one change, one history entry', async () => {
    const s = await setupClinic(app);
    const a = await book(s);
    const replies = await Promise.all(
      Array.from({ length: 50 }, () =>
        act(s, a.id, 'reschedule', { startsAt: '2026-05-20T10:00:00Z' }, { 'Idempotency-Key': 'rk' }),
      ),
    );
    expect(new Set(replies.map((r) => r.status))).toEqual(new Set([200]));
    expect(new Set(replies.map((r) => r.text)).size).toBe(1);
    const history = await app.request('GET', `/v1/appointments/${a.id}/history`, { key: s.clinic.key });
    expect(history.body.items.map((h: { action: string }) => h.action)).toEqual(['created', 'rescheduled']);
  });
});

describe('history', () => {
  it('lists who changed what, from → to, and when', async () => {
    const s = await setupClinic(app);
    const a = await book(s, '2026-05-14T10:00:00+01:00');
    await patch(s, a.id, { startsAt: '2026-05-14T12:00:00+01:00' });
    await act(s, a.id, 'cancel', { reason: 'Viagem' });
    const reply = await app.request('GET', `/v1/appointments/${a.id}/history`, { key: s.clinic.key });
    expect(reply.status).toBe(200);
    const [created, moved, cancelled] = reply.body.items;
    expect(created).toMatchObject({ action: 'created', actor: `key:${s.clinic.keyId}` });
    expect(moved).toMatchObject({
      action: 'rescheduled',
      changes: {
        status: { from: 'confirmed', to: 'rescheduled' },
        startsAt: { from: '2026-05-14T10:00:00+01:00', to: '2026-05-14T12:00:00+01:00' },
      },
    });
    expect(cancelled).toMatchObject({
      action: 'cancelled',
      changes: {
        status: { from: 'rescheduled', to: 'cancelled' },
        cancellationReason: { from: null, to: 'Viagem' },
      },
    });
    expect(cancelled.occurredAt).toMatch(/\+00:00$/);
  });
});

describe('GET /v1/appointments/conflicts', () => {
  it('reports overlapping appointments, honouring excludeId and touching intervals', async () => {
    const s = await setupClinic(app);
    const a = await book(s, '2026-05-14T10:00:00+01:00');
    const check = (query: Record<string, string>) =>
      app.request('GET', '/v1/appointments/conflicts', {
        key: s.clinic.key,
        query: { professionalId: s.professional.id, ...query },
      });
    const clash = await check({ startsAt: '2026-05-14T10:15:00+01:00', durationMinutes: '30' });
    expect(clash.status).toBe(200);
    expect(clash.body.hasConflicts).toBe(true);
    expect(clash.body.conflicts.map((x: { id: string }) => x.id)).toEqual([a.id]);
    expect((await check({ startsAt: '2026-05-14T10:30:00+01:00' })).body).toEqual({
      hasConflicts: false,
      conflicts: [],
    });
    expect(
      (await check({ startsAt: '2026-05-14T09:30:00+01:00', durationMinutes: '30' })).body.hasConflicts,
    ).toBe(false);
    expect((await check({ startsAt: '2026-05-14T10:15:00+01:00', excludeId: a.id })).body.hasConflicts).toBe(
      false,
    );
    expect(
      (await check({ startsAt: '2026-05-14T09:45:00+01:00', serviceTypeId: s.service.id })).body.hasConflicts,
    ).toBe(true);
  });

  it('422 without professionalId or startsAt; 404 for an unknown professional', async () => {
    const s = await setupClinic(app);
    expect((await app.request('GET', '/v1/appointments/conflicts', { key: s.clinic.key })).status).toBe(422);
    const unknown = await app.request('GET', '/v1/appointments/conflicts', {
      key: s.clinic.key,
      query: { professionalId: crypto.randomUUID(), startsAt: '2026-05-14T10:00:00Z' },
    });
    expect(unknown.status).toBe(404);
  });
});
