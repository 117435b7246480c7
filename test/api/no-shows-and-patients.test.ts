import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import { appointmentBody, setupClinic } from '../support/factories.js';
import type { TestApp } from '../support/types.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const START = Date.parse('2026-03-02T09:00:00Z');

describe('automatic no-show detection', () => {
  it('marks confirmed and rescheduled appointments no_show once end + grace has passed; attended ones stay', async () => {
    app.setNow(START);
    try {
      const s = await setupClinic(app);
      await app.request('PATCH', '/v1/tenants/me', {
        key: s.clinic.key,
        body: { config: { noShowGraceMinutes: 30 } },
      });
      const book = async (startsAt: string) =>
        (
          await app.request('POST', '/v1/appointments', {
            key: s.clinic.key,
            body: appointmentBody(s, startsAt),
          })
        ).body.id as string;
      const missed = await book('2026-03-02T10:00:00Z');
      const moved = await book('2026-03-02T11:00:00Z');
      await app.request('PATCH', `/v1/appointments/${moved}`, {
        key: s.clinic.key,
        body: { startsAt: '2026-03-02T10:30:00Z' },
      });
      const came = await book('2026-03-02T12:00:00Z');
      const later = await book('2026-03-02T15:00:00Z');

      app.setNow(Date.parse('2026-03-02T12:05:00Z'));
      await app.request('POST', `/v1/appointments/${came}/attend`, { key: s.clinic.key });
      // 10:30 ends at 10:00 + 30 min: due at 11:00 with the grace. 11:00's moved one ends 11:00: due 11:30.
      app.setNow(Date.parse('2026-03-02T11:29:00Z'));
      expect((await app.runScheduledJobs()).noShows).toBeGreaterThanOrEqual(1);
      const status = async (id: string) =>
        (await app.request('GET', `/v1/appointments/${id}`, { key: s.clinic.key })).body.status;
      expect(await status(missed)).toBe('no_show');
      expect(await status(moved)).toBe('rescheduled');
      app.setNow(Date.parse('2026-03-02T13:00:00Z'));
      await app.runScheduledJobs();
      expect(await status(moved)).toBe('no_show');
      expect(await status(came)).toBe('attended');
      expect(await status(later)).toBe('confirmed');

      const history = await app.request('GET', `/v1/appointments/${moved}/history`, { key: s.clinic.key });
      expect(history.body.items.at(-1)).toMatchObject({
        action: 'no_show',
        actor: 'system:no_show',
        changes: { status: { from: 'rescheduled', to: 'no_show' } },
      });
    } finally {
      app.setNow(START);
    }
  });

  it('is idempotent: running twice, or two runners at once, changes each appointment once', async () => {
    app.setNow(START);
    try {
      const s = await setupClinic(app);
      const ids = [];
      for (let h = 10; h < 14; h++) {
        ids.push(
          (
            await app.request('POST', '/v1/appointments', {
              key: s.clinic.key,
              body: appointmentBody(s, `2026-03-02T${h}:00:00Z`),
            })
          ).body.id,
        );
      }
      app.setNow(Date.parse('2026-03-03T09:00:00Z'));
      const reports = await Promise.all([
        app.runScheduledJobs(),
        app.runScheduledJobs(),
        app.runScheduledJobs(),
      ]);
      const again = await app.runScheduledJobs();
      expect(again.noShows).toBe(0);
      for (const id of ids) {
        const history = await app.request('GET', `/v1/appointments/${id}/history`, { key: s.clinic.key });
        expect(history.body.items.filter((h: { action: string }) => h.action === 'no_show')).toHaveLength(1);
      }
      expect(reports.reduce((n, r) => n + r.noShows, 0)).toBeGreaterThanOrEqual(4);
    } finally {
      app.setNow(START);
    }
  });

  it('uses each clinic its own grace period', async () => {
    app.setNow(START);
    try {
      const patient = await setupClinic(app);
      const strict = await setupClinic(app);
      await app.request('PATCH', '/v1/tenants/me', {
        key: patient.clinic.key,
        body: { config: { noShowGraceMinutes: 120 } },
      });
      await app.request('PATCH', '/v1/tenants/me', {
        key: strict.clinic.key,
        body: { config: { noShowGraceMinutes: 0 } },
      });
      const a = (
        await app.request('POST', '/v1/appointments', {
          key: patient.clinic.key,
          body: appointmentBody(patient, '2026-03-02T10:00:00Z'),
        })
      ).body.id;
      const b = (
        await app.request('POST', '/v1/appointments', {
          key: strict.clinic.key,
          body: appointmentBody(strict, '2026-03-02T10:00:00Z'),
        })
      ).body.id;
      app.setNow(Date.parse('2026-03-02T10:31:00Z'));
      await app.runScheduledJobs();
      expect(
        (await app.request('GET', `/v1/appointments/${a}`, { key: patient.clinic.key })).body.status,
      ).toBe('confirmed');
      expect(
        (await app.request('GET', `/v1/appointments/${b}`, { key: strict.clinic.key })).body.status,
      ).toBe('no_show');
    } finally {
      app.setNow(START);
    }
  });
});

describe('/v1/patients', () => {
  it('finds patients by name ignoring accents and case, grouped by phone', async () => {
    const s = await setupClinic(app);
    const book = (startsAt: string, patientName: string, patientPhone: string) =>
      app.request('POST', '/v1/appointments', {
        key: s.clinic.key,
        body: appointmentBody(s, startsAt, { patientName, patientPhone }),
      });
    await book('2026-05-14T09:00:00Z', 'João Gonçalves', '+351911111111');
    await book('2026-05-15T09:00:00Z', 'João Gonçalves', '+351911111111');
    const other = await book('2026-05-16T09:00:00Z', 'Joana Silva', '+351922222222');
    await book('2026-05-17T09:00:00Z', 'Pedro 100%_Real', '+351933333333');

    const found = await app.request('GET', '/v1/patients', {
      key: s.clinic.key,
      query: { search: 'JOAO GONC' },
    });
    expect(found.status).toBe(200);
    expect(found.body.items).toHaveLength(1);
    expect(found.body.items[0]).toMatchObject({
      name: 'João Gonçalves',
      appointmentCount: 2,
      lastAppointmentAt: '2026-05-15T10:00:00+01:00',
    });
    expect(found.text).not.toContain('911111111');

    const jo = await app.request('GET', '/v1/patients', { key: s.clinic.key, query: { search: 'jo' } });
    expect(jo.body.items.map((p: { name: string }) => p.name).sort()).toEqual([
      'Joana Silva',
      'João Gonçalves',
    ]);
    const literal = await app.request('GET', '/v1/patients', {
      key: s.clinic.key,
      query: { search: '100%_' },
    });
    expect(literal.body.items.map((p: { name: string }) => p.name)).toEqual(['Pedro 100%_Real']);
    expect(
      (await app.request('GET', '/v1/patients', { key: s.clinic.key, query: { search: '%' } })).body.items,
    ).toHaveLength(1);

    const byHash = await app.request(
      'GET',
      `/v1/patients/${encodeURIComponent(other.body.patientPhoneHash)}`,
      { key: s.clinic.key },
    );
    expect(byHash.status).toBe(200);
    expect(byHash.body).toMatchObject({ patientPhoneHash: other.body.patientPhoneHash, name: 'Joana Silva' });
    expect(byHash.body.appointments.map((a: { id: string }) => a.id)).toEqual([other.body.id]);
  });

  it("404 for an unknown hash or another clinic's patient", async () => {
    const mine = await setupClinic(app);
    const theirs = await setupClinic(app);
    const booked = await app.request('POST', '/v1/appointments', {
      key: theirs.clinic.key,
      body: appointmentBody(theirs, '2026-05-14T09:00:00Z'),
    });
    for (const hash of [booked.body.patientPhoneHash, 'v1:00', 'nope']) {
      const reply = await app.request('GET', `/v1/patients/${encodeURIComponent(hash)}`, {
        key: mine.clinic.key,
      });
      expect(reply.status).toBe(404);
      expect(reply.body.error).toBe('patient_not_found');
    }
    expect((await app.request('GET', '/v1/patients', { key: mine.clinic.key })).body.items).toEqual([]);
  });
});
