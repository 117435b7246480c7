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
