import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import { appointmentBody, createProfessional, createService, setupClinic } from '../support/factories.js';
import type { Clinic, TestApp } from '../support/types.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const NINE_TO_ONE = [{ start: '09:00', end: '13:00' }];
const WEEKDAYS = {
  monday: NINE_TO_ONE,
  tuesday: NINE_TO_ONE,
  wednesday: NINE_TO_ONE,
  thursday: NINE_TO_ONE,
  friday: NINE_TO_ONE,
};

async function setHours(clinic: Clinic, professionalId: string, weekly: Record<string, unknown>) {
  const reply = await app.request('PUT', `/v1/professionals/${professionalId}/schedule`, {
    key: clinic.key,
    body: { weekly },
  });
  expect(reply.status).toBe(200);
}

async function slots(clinic: Clinic, query: Record<string, string | number | undefined>) {
  const reply = await app.request('GET', '/v1/availability', { key: clinic.key, query });
  expect(reply.status, reply.text).toBe(200);
  return reply.body as {
    items: { startsAt: string; endsAt: string; professionalId: string }[];
    nextFrom: string | null;
  };
}

async function tuneClinic(clinic: Clinic, config: Record<string, unknown>) {
  expect((await app.request('PATCH', '/v1/tenants/me', { key: clinic.key, body: { config } })).status).toBe(
    200,
  );
}

describe('GET /v1/availability', () => {
  it('offers a grid of slots inside working hours, with the clinic offset', async () => {
    const s = await setupClinic(app);
    await setHours(s.clinic, s.professional.id, WEEKDAYS);
    await tuneClinic(s.clinic, { slotStepMinutes: 30 });
    const day = await slots(s.clinic, { serviceTypeId: s.service.id, from: '2026-05-14', to: '2026-05-14' });
    expect(day.items.map((x) => x.startsAt)).toEqual([
      '2026-05-14T09:00:00+01:00',
      '2026-05-14T09:30:00+01:00',
      '2026-05-14T10:00:00+01:00',
      '2026-05-14T10:30:00+01:00',
      '2026-05-14T11:00:00+01:00',
      '2026-05-14T11:30:00+01:00',
      '2026-05-14T12:00:00+01:00',
      '2026-05-14T12:30:00+01:00',
    ]);
    expect(day.items[0]).toEqual({
      startsAt: '2026-05-14T09:00:00+01:00',
      endsAt: '2026-05-14T09:30:00+01:00',
      professionalId: s.professional.id,
    });
    const weekend = await slots(s.clinic, {
      serviceTypeId: s.service.id,
      from: '2026-05-16',
      to: '2026-05-17',
    });
    expect(weekend.items).toEqual([]);
  });

  it('leaves out booked time including the service buffer, and honours the step', async () => {
    const { clinic, professional } = await setupClinic(app);
    const service = await createService(app, clinic, { durationMinutes: 45, bufferMinutes: 15 });
    await setHours(clinic, professional.id, WEEKDAYS);
    await tuneClinic(clinic, { slotStepMinutes: 15 });
    await app.request('POST', '/v1/appointments', {
      key: clinic.key,
      body: appointmentBody({ professional, service }, '2026-05-14T10:00:00+01:00'),
    });
    const day = await slots(clinic, { serviceTypeId: service.id, from: '2026-05-14', to: '2026-05-14' });
    const starts = day.items.map((x) => x.startsAt.slice(11, 16));
    // Busy 10:00–11:00 (45 min + 15 buffer); a new 45+15 block must end by 10:00 or start at 11:00.
    expect(starts).toEqual(['09:00', '11:00', '11:15', '11:30', '11:45', '12:00', '12:15']);
  });

  it('a booking just past a read window or just before it still blocks the slots it overlaps', async () => {
    // The range is walked in windows (the first is 2 days from `from`): from Tuesday 10:00 the first
    // ends Thursday 10:00. A booking starting there must block Thursday 09:30 (a 60-minute slot of
    // the first window), and one from Tuesday 09:30 must block Tuesday 10:00.
    const { clinic, professional } = await setupClinic(app);
    const service = await createService(app, clinic, { durationMinutes: 60, bufferMinutes: 0 });
    await setHours(clinic, professional.id, WEEKDAYS);
    await tuneClinic(clinic, { slotStepMinutes: 30 });
    for (const at of ['2026-05-12T09:30:00+01:00', '2026-05-14T10:00:00+01:00']) {
      const booked = await app.request('POST', '/v1/appointments', {
        key: clinic.key,
        body: appointmentBody({ professional, service }, at),
      });
      expect(booked.status, booked.text).toBe(201);
    }
    const range = await slots(clinic, {
      serviceTypeId: service.id,
      from: '2026-05-12T10:00:00+01:00',
      to: '2026-05-14T13:00:00+01:00',
    });
    const starts = range.items.map((x) => x.startsAt.slice(0, 16));
    expect(starts.filter((x) => x.startsWith('2026-05-12'))).toEqual([
      '2026-05-12T10:30',
      '2026-05-12T11:00',
      '2026-05-12T11:30',
      '2026-05-12T12:00',
    ]);
    expect(starts.filter((x) => x.startsWith('2026-05-14'))).toEqual([
      '2026-05-14T09:00',
      '2026-05-14T11:00',
      '2026-05-14T11:30',
      '2026-05-14T12:00',
    ]);
  });

  it('applies time off, holidays and extra hours', async () => {
    const s = await setupClinic(app);
    await setHours(s.clinic, s.professional.id, WEEKDAYS);
    await tuneClinic(s.clinic, { slotStepMinutes: 60 });
    const path = `/v1/professionals/${s.professional.id}/exceptions`;
    await app.request('POST', path, {
      key: s.clinic.key,
      body: { kind: 'time_off', date: '2026-05-14', startTime: '10:00', endTime: '12:00' },
    });
    await app.request('POST', path, { key: s.clinic.key, body: { kind: 'holiday', date: '2026-05-15' } });
    await app.request('POST', path, {
      key: s.clinic.key,
      body: { kind: 'extra_hours', date: '2026-05-16', startTime: '10:00', endTime: '12:00' },
    });
    const range = await slots(s.clinic, {
      serviceTypeId: s.service.id,
      from: '2026-05-14',
      to: '2026-05-16',
    });
    expect(range.items.map((x) => x.startsAt)).toEqual([
      '2026-05-14T09:00:00+01:00',
      '2026-05-14T12:00:00+01:00',
      '2026-05-16T10:00:00+01:00',
      '2026-05-16T11:00:00+01:00',
    ]);
  });

  it('sees an exception added or removed since its last answer over the same days', async () => {
    // Exceptions are kept with the clinic's catalogue between requests; each change must show in the
    // very next answer (the catalogue counter's triggers on schedule_exceptions).
    const s = await setupClinic(app);
    await setHours(s.clinic, s.professional.id, WEEKDAYS);
    await tuneClinic(s.clinic, { slotStepMinutes: 60 });
    const path = `/v1/professionals/${s.professional.id}/exceptions`;
    const query = { serviceTypeId: s.service.id, from: '2026-05-14', to: '2026-05-16' };
    const starts = async () => (await slots(s.clinic, query)).items.map((x) => x.startsAt.slice(0, 16));
    const friday = ['2026-05-15T09:00', '2026-05-15T10:00', '2026-05-15T11:00', '2026-05-15T12:00'];
    const thursday = friday.map((t) => t.replace('05-15', '05-14'));
    expect(await starts()).toEqual([...thursday, ...friday]);
    expect(await starts()).toEqual([...thursday, ...friday]);
    const holiday = await app.request('POST', path, {
      key: s.clinic.key,
      body: { kind: 'holiday', date: '2026-05-14' },
    });
    expect(holiday.status, holiday.text).toBe(201);
    expect(await starts()).toEqual(friday);
    const extra = await app.request('POST', path, {
      key: s.clinic.key,
      body: { kind: 'extra_hours', date: '2026-05-16', startTime: '10:00', endTime: '11:00' },
    });
    expect(extra.status, extra.text).toBe(201);
    expect(await starts()).toEqual([...friday, '2026-05-16T10:00']);
    const id = (holiday.body as { id: string }).id;
    expect((await app.request('DELETE', `${path}/${id}`, { key: s.clinic.key })).status).toBe(204);
    expect(await starts()).toEqual([...thursday, ...friday, '2026-05-16T10:00']);
  });

  it('merges qualified professionals and skips those who do not provide the service', async () => {
    const s = await setupClinic(app);
    const rui = await createProfessional(app, s.clinic, { name: 'Dr. Rui' });
    const eva = await createProfessional(app, s.clinic, { name: 'Dra. Eva' });
    for (const p of [s.professional, rui, eva])
      await setHours(s.clinic, p.id, { thursday: [{ start: '09:00', end: '10:00' }] });
    await tuneClinic(s.clinic, { slotStepMinutes: 30 });
    const limited = await createService(app, s.clinic, {
      name: 'Ortodontia',
      professionalIds: [rui.id, s.professional.id],
    });
    const got = await slots(s.clinic, { serviceTypeId: limited.id, from: '2026-05-14', to: '2026-05-14' });
    expect(new Set(got.items.map((x) => x.professionalId))).toEqual(new Set([rui.id, s.professional.id]));
    expect(got.items).toHaveLength(4);
    const notQualified = await app.request('GET', '/v1/availability', {
      key: s.clinic.key,
      query: { serviceTypeId: limited.id, professionalId: eva.id, from: '2026-05-14', to: '2026-05-14' },
    });
    expect(notQualified.status).toBe(422);
    expect(notQualified.body.error).toBe('professional_not_qualified');
    const booking = await app.request('POST', '/v1/appointments', {
      key: s.clinic.key,
      body: appointmentBody({ professional: eva, service: limited }, '2026-05-14T09:00:00+01:00'),
    });
    expect(booking.status).toBe(422);
    expect(booking.body.error).toBe('professional_not_qualified');
  });

  it('respects minimum notice and booking horizon', async () => {
    const s = await setupClinic(app);
    await setHours(s.clinic, s.professional.id, {
      monday: [{ start: '08:00', end: '12:00' }],
      tuesday: [{ start: '08:00', end: '12:00' }],
    });
    await tuneClinic(s.clinic, { slotStepMinutes: 60, minimumNoticeMinutes: 120, bookingHorizonDays: 1 });
    // Now is Monday 2 March 2026, 09:00 Lisbon.
    const got = await slots(s.clinic, { serviceTypeId: s.service.id, from: '2026-03-02', to: '2026-03-10' });
    // Notice: nothing before 11:00 today. Horizon: up to now + 1 day, 09:00 tomorrow included.
    expect(got.items.map((x) => x.startsAt)).toEqual([
      '2026-03-02T11:00:00+00:00',
      '2026-03-03T08:00:00+00:00',
      '2026-03-03T09:00:00+00:00',
    ]);
  });

  it('pages with limit and nextFrom', async () => {
    const s = await setupClinic(app);
    await setHours(s.clinic, s.professional.id, WEEKDAYS);
    await tuneClinic(s.clinic, { slotStepMinutes: 60 });
    const first = await slots(s.clinic, {
      serviceTypeId: s.service.id,
      from: '2026-05-14',
      to: '2026-05-15',
      limit: 3,
    });
    expect(first.items).toHaveLength(3);
    expect(first.nextFrom).toBe('2026-05-14T12:00:00+01:00');
    const rest = await slots(s.clinic, {
      serviceTypeId: s.service.id,
      from: first.nextFrom!,
      to: '2026-05-15',
      limit: 100,
    });
    expect(rest.items.map((x) => x.startsAt)).toEqual([
      '2026-05-14T12:00:00+01:00',
      ...Array.from({ length: 4 }, (_, i) => `2026-05-15T${String(9 + i).padStart(2, '0')}:00:00+01:00`),
    ]);
  });

  it('keeps the grid on the working hours when `from` is not on it', async () => {
    const s = await setupClinic(app);
    await setHours(s.clinic, s.professional.id, WEEKDAYS);
    await tuneClinic(s.clinic, { slotStepMinutes: 15 });
    const got = await slots(s.clinic, {
      serviceTypeId: s.service.id,
      from: '2026-05-14T10:07:00+01:00',
      to: '2026-05-14',
      limit: 3,
    });
    expect(got.items.map((x) => x.startsAt)).toEqual([
      '2026-05-14T10:15:00+01:00',
      '2026-05-14T10:30:00+01:00',
      '2026-05-14T10:45:00+01:00',
    ]);
  });

  it('422 for a range over 31 days, a reversed range or bad dates; 404 for an unknown service', async () => {
    const s = await setupClinic(app);
    for (const query of [
      { from: '2026-05-01', to: '2026-06-01' },
      { from: '2026-05-10', to: '2026-05-09' },
      { from: 'soon', to: '2026-05-09' },
    ]) {
      const reply = await app.request('GET', '/v1/availability', {
        key: s.clinic.key,
        query: { serviceTypeId: s.service.id, ...query },
      });
      expect(reply.status, JSON.stringify(query)).toBe(422);
    }
    expect(
      (await slots(s.clinic, { serviceTypeId: s.service.id, from: '2026-05-01', to: '2026-05-31' })).items,
    ).toEqual([]);
    const unknown = await app.request('GET', '/v1/availability', {
      key: s.clinic.key,
      query: { serviceTypeId: crypto.randomUUID(), from: '2026-05-01', to: '2026-05-02' },
    });
    expect(unknown.status).toBe(404);
  });
});

describe('DST (Europe/Lisbon)', () => {
  it.each([
    [
      '2026-10-25',
      'autumn: clocks go back at 02:00',
      '2026-10-20T09:00:00Z',
      '2026-10-24T09:00:00+01:00',
      '2026-10-25T09:00:00+00:00',
      '2026-10-26T09:00:00+00:00',
    ],
    [
      '2027-03-28',
      'spring: clocks go forward at 01:00',
      '2027-03-22T09:00:00Z',
      '2027-03-27T09:00:00+00:00',
      '2027-03-28T09:00:00+01:00',
      '2027-03-29T09:00:00+01:00',
    ],
  ])('keeps 09:00 at 09:00 around %s (%s)', async (_day, _what, now, before, on, after) => {
    app.setNow(Date.parse(now));
    try {
      const s = await setupClinic(app);
      const everyDay = Object.fromEntries(
        ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].map((d) => [
          d,
          [{ start: '09:00', end: '10:00' }],
        ]),
      );
      await setHours(s.clinic, s.professional.id, everyDay);
      await tuneClinic(s.clinic, { slotStepMinutes: 30 });
      const from = before.slice(0, 10);
      const to = after.slice(0, 10);
      const got = await slots(s.clinic, { serviceTypeId: s.service.id, from, to });
      expect(got.items.map((x) => x.startsAt)).toEqual([
        before,
        before.replace('09:00', '09:30'),
        on,
        on.replace('09:00', '09:30'),
        after,
        after.replace('09:00', '09:30'),
      ]);
      // Each of those is really bookable at that wall-clock time.
      for (const slot of got.items) {
        const booked = await app.request('POST', '/v1/appointments', {
          key: s.clinic.key,
          body: appointmentBody(s, slot.startsAt),
        });
        expect(booked.status, slot.startsAt).toBe(201);
        expect(booked.body.startsAt).toBe(slot.startsAt);
      }
    } finally {
      app.setNow(Date.parse('2026-03-02T09:00:00Z'));
    }
  });

  it('a night shift across the spring-forward gap loses the missing hour, not the shift', async () => {
    app.setNow(Date.parse('2027-03-22T09:00:00Z'));
    try {
      const s = await setupClinic(app);
      await setHours(s.clinic, s.professional.id, { sunday: [{ start: '00:00', end: '03:00' }] });
      await tuneClinic(s.clinic, { slotStepMinutes: 60 });
      const got = await slots(s.clinic, {
        serviceTypeId: s.service.id,
        from: '2027-03-28',
        to: '2027-03-28',
      });
      // 00:00–01:00 exists, 01:00–02:00 does not (clocks jump to 02:00), 02:00–03:00 exists.
      expect(got.items.map((x) => x.startsAt)).toEqual([
        '2027-03-28T00:00:00+00:00',
        '2027-03-28T02:00:00+01:00',
      ]);
    } finally {
      app.setNow(Date.parse('2026-03-02T09:00:00Z'));
    }
  });
});

describe('property: every slot offered can be booked', () => {
  it('books offered slots one after another until none is left or a round ends', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          duration: fc.constantFrom(15, 20, 30, 45, 60, 90),
          buffer: fc.constantFrom(0, 5, 10, 15),
          step: fc.constantFrom(5, 10, 15, 30),
          start: fc.integer({ min: 6 * 4, max: 12 * 4 }).map((q) => q * 15),
          length: fc.integer({ min: 2, max: 8 }).map((h) => h * 60),
          existing: fc.array(fc.integer({ min: 0, max: 10 * 60 }), { maxLength: 4 }),
          picks: fc.array(fc.nat(), { minLength: 3, maxLength: 6 }),
        }),
        async (p) => {
          const { clinic, professional } = await setupClinic(app);
          const service = await createService(app, clinic, {
            durationMinutes: p.duration,
            bufferMinutes: p.buffer,
          });
          const hhmm = (m: number) =>
            `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
          await setHours(clinic, professional.id, {
            thursday: [{ start: hhmm(p.start), end: hhmm(Math.min(p.start + p.length, 1440)) }],
          });
          await tuneClinic(clinic, { slotStepMinutes: p.step });
          for (const offset of p.existing) {
            // Manual bookings at odd times, some outside hours: the grid must step around them.
            await app.request('POST', '/v1/appointments', {
              key: clinic.key,
              body: appointmentBody(
                { professional, service },
                new Date(Date.parse('2026-05-14T05:00:00Z') + offset * 60_000).toISOString(),
              ),
            });
          }
          for (const pick of p.picks) {
            const offered = await slots(clinic, {
              serviceTypeId: service.id,
              from: '2026-05-14',
              to: '2026-05-14',
            });
            if (offered.items.length === 0) return;
            const slot = offered.items[pick % offered.items.length]!;
            const booked = await app.request('POST', '/v1/appointments', {
              key: clinic.key,
              body: appointmentBody({ professional, service }, slot.startsAt),
            });
            expect(booked.status, `${slot.startsAt} ${booked.text}`).toBe(201);
            const after = await slots(clinic, {
              serviceTypeId: service.id,
              from: '2026-05-14',
              to: '2026-05-14',
            });
            expect(after.items.map((x) => x.startsAt)).not.toContain(slot.startsAt);
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});
