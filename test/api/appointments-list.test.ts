import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import { appointmentBody, createProfessional, createService, setupClinic } from '../support/factories.js';
import type { TestApp } from '../support/types.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

async function bookMany(
  s: Awaited<ReturnType<typeof setupClinic>>,
  starts: string[],
  extra: Record<string, unknown> = {},
) {
  const ids: string[] = [];
  for (const startsAt of starts) {
    const reply = await app.request('POST', '/v1/appointments', {
      key: s.clinic.key,
      body: appointmentBody(s, startsAt, extra),
    });
    expect(reply.status).toBe(201);
    ids.push(reply.body.id);
  }
  return ids;
}

describe('GET /v1/appointments', () => {
  it("lists today's appointments: from inclusive, to exclusive, ordered by start", async () => {
    const s = await setupClinic(app);
    await bookMany(s, [
      '2026-05-15T00:00:00+01:00',
      '2026-05-14T15:00:00+01:00',
      '2026-05-14T00:00:00+01:00',
      '2026-05-13T23:30:00+01:00',
    ]);
    const reply = await app.request('GET', '/v1/appointments', {
      key: s.clinic.key,
      query: { from: '2026-05-14T00:00:00+01:00', to: '2026-05-15T00:00:00+01:00' },
    });
    expect(reply.status).toBe(200);
    expect(reply.body.items.map((a: { startsAt: string }) => a.startsAt)).toEqual([
      '2026-05-14T00:00:00+01:00',
      '2026-05-14T15:00:00+01:00',
    ]);
    expect(reply.body.nextCursor).toBeNull();
  });

  it('pages with an opaque cursor without gaps or repeats, also for equal start times', async () => {
    const s = await setupClinic(app);
    const second = await createProfessional(app, s.clinic, { name: 'Dr. Rui' });
    const starts = Array.from({ length: 7 }, (_, i) => `2026-05-20T${String(9 + i).padStart(2, '0')}:00:00Z`);
    const ids = [...(await bookMany(s, starts)), ...(await bookMany({ ...s, professional: second }, starts))];
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const reply = await app.request('GET', '/v1/appointments', {
        key: s.clinic.key,
        query: { limit: 3, cursor },
      });
      expect(reply.status).toBe(200);
      expect(reply.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...reply.body.items.map((a: { id: string }) => a.id));
      cursor = reply.body.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(5);
    expect(seen.sort()).toEqual(ids.sort());
  });

  it('defaults to 50 per page and caps at 200', async () => {
    const s = await setupClinic(app);
    expect(
      (await app.request('GET', '/v1/appointments', { key: s.clinic.key, query: { limit: 200 } })).status,
    ).toBe(200);
    expect(
      (await app.request('GET', '/v1/appointments', { key: s.clinic.key, query: { limit: 201 } })).status,
    ).toBe(422);
  });

  it('filters by professional, service, status (repeatable), source and phone', async () => {
    const s = await setupClinic(app);
    const other = await createProfessional(app, s.clinic, { name: 'Dr. Rui' });
    const otherService = await createService(app, s.clinic, { name: 'Limpeza', durationMinutes: 60 });
    const [a] = await bookMany(s, ['2026-05-21T09:00:00Z']);
    const [b] = await bookMany({ ...s, professional: other }, ['2026-05-21T09:00:00Z'], {
      patientPhone: '+351961111111',
      source: 'sync_external',
    });
    const [c] = await bookMany({ ...s, service: otherService }, ['2026-05-21T11:00:00Z'], {
      patientPhone: '+351962222222',
    });
    const ids = async (query: Record<string, string | string[]>) =>
      (await app.request('GET', '/v1/appointments', { key: s.clinic.key, query })).body.items.map(
        (x: { id: string }) => x.id,
      );
    expect(await ids({ professionalId: other.id })).toEqual([b]);
    expect(await ids({ serviceTypeId: otherService.id })).toEqual([c]);
    expect(await ids({ source: 'sync_external' })).toEqual([b]);
    expect(await ids({ patientPhone: '+351961111111' })).toEqual([b]);
    expect(await ids({ patientPhone: '+351 96 222 2222' })).toEqual([c]);
    expect((await ids({ status: 'confirmed' })).sort()).toEqual([a, b, c].sort());
    expect(await ids({ status: ['attended', 'no_show'] })).toEqual([]);
    expect((await ids({ status: 'attended,confirmed' })).length).toBe(3);
  });

  it('filters by updatedSince for sync', async () => {
    const s = await setupClinic(app);
    const start = app.now();
    const [early] = await bookMany(s, ['2026-05-22T09:00:00Z']);
    app.setNow(start + 60_000);
    const [late] = await bookMany(s, ['2026-05-22T10:00:00Z']);
    app.setNow(start);
    const reply = await app.request('GET', '/v1/appointments', {
      key: s.clinic.key,
      query: { updatedSince: new Date(start + 30_000).toISOString() },
    });
    expect(reply.body.items.map((x: { id: string }) => x.id)).toEqual([late]);
    expect(early).toBeTruthy();
  });

  it("never shows another clinic's appointments", async () => {
    const mine = await setupClinic(app);
    const theirs = await setupClinic(app);
    await bookMany(theirs, ['2026-05-23T09:00:00Z']);
    const reply = await app.request('GET', '/v1/appointments', { key: mine.clinic.key });
    expect(reply.body.items).toEqual([]);
    const byTheirProfessional = await app.request('GET', '/v1/appointments', {
      key: mine.clinic.key,
      query: { professionalId: theirs.professional.id },
    });
    expect(byTheirProfessional.body.items).toEqual([]);
  });
});
