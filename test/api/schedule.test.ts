import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import { setupClinic } from '../support/factories.js';
import type { TestApp } from '../support/types.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

describe('weekly schedule', () => {
  it('starts empty, is replaced by PUT and read back in wall-clock time', async () => {
    const s = await setupClinic(app);
    const path = `/v1/professionals/${s.professional.id}/schedule`;
    const empty = await app.request('GET', path, { key: s.clinic.key });
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ professionalId: s.professional.id, timezone: 'Europe/Lisbon' });
    expect(Object.values(empty.body.weekly).flat()).toEqual([]);
    const weekly = {
      monday: [
        { start: '14:00', end: '18:00' },
        { start: '09:00', end: '13:00' },
      ],
      friday: [{ start: '08:30', end: '24:00' }],
    };
    const put = await app.request('PUT', path, { key: s.clinic.key, body: { weekly } });
    expect(put.status).toBe(200);
    expect(put.body.weekly.monday).toEqual([
      { start: '09:00', end: '13:00' },
      { start: '14:00', end: '18:00' },
    ]);
    expect(put.body.weekly.friday).toEqual([{ start: '08:30', end: '24:00' }]);
    expect(put.body.weekly.sunday).toEqual([]);
    expect((await app.request('GET', path, { key: s.clinic.key })).body).toEqual(put.body);
  });

  it.each([
    [{ monday: [{ start: '10:00', end: '09:00' }] }, 'start after end'],
    [
      {
        monday: [
          { start: '09:00', end: '12:00' },
          { start: '11:00', end: '13:00' },
        ],
      },
      'overlap',
    ],
    [{ monday: [{ start: '9:00', end: '12:00' }] }, 'bad clock'],
    [{ monday: [{ start: '09:00', end: '24:30' }] }, 'past midnight'],
    [{ funday: [] }, 'unknown day'],
  ] as [Record<string, unknown>, string][])('422 for %j (%s)', async (weekly) => {
    const s = await setupClinic(app);
    const reply = await app.request('PUT', `/v1/professionals/${s.professional.id}/schedule`, {
      key: s.clinic.key,
      body: { weekly },
    });
    expect(reply.status).toBe(422);
    expect(reply.body.error).toBe('validation_failed');
  });

  it("404 for another clinic's professional", async () => {
    const mine = await setupClinic(app);
    const theirs = await setupClinic(app);
    const reply = await app.request('PUT', `/v1/professionals/${theirs.professional.id}/schedule`, {
      key: mine.clinic.key,
      body: { weekly: {} },
    });
    expect(reply.status).toBe(404);
  });
});

describe('exceptions', () => {
  it('adds, lists by date range and removes time off, holidays and extra hours', async () => {
    const s = await setupClinic(app);
    const path = `/v1/professionals/${s.professional.id}/exceptions`;
    const holiday = await app.request('POST', path, {
      key: s.clinic.key,
      body: { kind: 'holiday', date: '2026-12-24', endDate: '2026-12-26', reason: 'Natal' },
    });
    expect(holiday.status).toBe(201);
    expect(holiday.body).toMatchObject({
      kind: 'holiday',
      date: '2026-12-24',
      endDate: '2026-12-26',
      startTime: null,
      reason: 'Natal',
    });
    const off = await app.request('POST', path, {
      key: s.clinic.key,
      body: { kind: 'time_off', date: '2026-04-10', startTime: '14:00', endTime: '18:00' },
    });
    expect(off.body).toMatchObject({ endDate: '2026-04-10', startTime: '14:00', endTime: '18:00' });
    await app.request('POST', path, {
      key: s.clinic.key,
      body: { kind: 'extra_hours', date: '2026-04-11', startTime: '09:00', endTime: '12:00' },
    });

    const april = await app.request('GET', path, {
      key: s.clinic.key,
      query: { from: '2026-04-01', to: '2026-04-30' },
    });
    expect(april.body.items.map((e: { kind: string }) => e.kind)).toEqual(['time_off', 'extra_hours']);
    const all = await app.request('GET', path, { key: s.clinic.key });
    expect(all.body.items).toHaveLength(3);

    expect((await app.request('DELETE', `${path}/${off.body.id}`, { key: s.clinic.key })).status).toBe(204);
    expect((await app.request('DELETE', `${path}/${off.body.id}`, { key: s.clinic.key })).status).toBe(404);
    expect((await app.request('GET', path, { key: s.clinic.key })).body.items).toHaveLength(2);
  });

  it.each([
    [{ kind: 'extra_hours', date: '2026-04-11' }, 'extra hours without times'],
    [{ kind: 'holiday', date: '2026-04-11', startTime: '09:00', endTime: '10:00' }, 'timed holiday'],
    [{ kind: 'time_off', date: '2026-04-11', startTime: '10:00' }, 'only a start'],
    [{ kind: 'time_off', date: '2026-04-11', endDate: '2026-04-10' }, 'end before start'],
    [{ kind: 'time_off', date: '2026-02-30' }, 'impossible date'],
    [{ kind: 'vacation', date: '2026-04-11' }, 'unknown kind'],
  ] as [Record<string, unknown>, string][])('422 for %j (%s)', async (body) => {
    const s = await setupClinic(app);
    const reply = await app.request('POST', `/v1/professionals/${s.professional.id}/exceptions`, {
      key: s.clinic.key,
      body,
    });
    expect(reply.status).toBe(422);
  });
});
