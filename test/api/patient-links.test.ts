// A patient's own appointment link: made by the API (POST /v1/appointments/{id}/patient-link) or put
// in messages, opened without a login at /a/{token}. Confirm, cancel and move go through the core
// (the slot is freed, the move keeps to the rules), each idempotent; an expired, tampered or
// another clinic's link gets a clear answer, never a 500; the page never shows the phone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import { DAY } from '../../src/domain/time.js';
import { bookingClinic } from '../support/booking.js';
import { nextPhone } from '../support/factories.js';
import { formsIn, phoneForms } from '../support/phone-scan.js';
import type { Clinic, TestApp } from '../support/types.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

type Setup = Awaited<ReturnType<typeof bookingClinic>>;

async function book(b: Setup, startsAt: string, phone = nextPhone(), professional = b.rui) {
  const reply = await app.request('POST', '/v1/appointments', {
    key: b.clinic.key,
    body: {
      professionalId: professional.id,
      serviceTypeId: b.consulta.id,
      patientName: 'Maria Silva',
      patientPhone: phone,
      startsAt,
    },
  });
  expect(reply.status).toBe(201);
  return { id: reply.body.id as string, phone };
}

async function linkOf(clinic: Clinic, id: string) {
  const reply = await app.request('POST', `/v1/appointments/${id}/patient-link`, { key: clinic.key });
  expect(reply.status).toBe(200);
  const url = new URL(reply.body.url);
  return { path: url.pathname, token: url.pathname.slice(3), expiresAt: reply.body.expiresAt as string };
}

const post = (path: string, action: string, key: string = crypto.randomUUID(), body: unknown = {}) =>
  app.request('POST', `${path}/api/${action}`, { body, headers: { 'Idempotency-Key': key } });

const appointment = async (b: Setup, id: string) =>
  (await app.request('GET', `/v1/appointments/${id}`, { key: b.clinic.key })).body;

describe('the patient link', () => {
  it('is opaque and expiring: no id or phone in it, valid three days past the start', async () => {
    const b = await bookingClinic(app);
    const { id, phone } = await book(b, '2026-03-03T10:00:00Z');
    const link = await linkOf(b.clinic, id);
    expect(link.path).toMatch(/^\/a\/[A-Za-z0-9_-]{64}$/);
    expect(link.token.toLowerCase()).not.toContain(id.replace(/-/g, '').slice(0, 8));
    expect(formsIn(link.token, phoneForms(phone, 'PT'))).toEqual([]);
    expect(link.expiresAt).toBe('2026-03-06T10:00:00+00:00');
    // Asking again gives the same link (nothing stored, nothing to revoke by accident).
    expect((await linkOf(b.clinic, id)).token).toBe(link.token);
  });

  it('another clinic cannot make a link to the appointment (404), nor read its page through its own', async () => {
    const a = await bookingClinic(app);
    const other = await bookingClinic(app);
    const { id } = await book(a, '2026-03-03T10:30:00Z');
    const theirs = await book(other, '2026-03-03T10:30:00Z');
    const denied = await app.request('POST', `/v1/appointments/${id}/patient-link`, {
      key: other.clinic.key,
    });
    expect(denied.status).toBe(404);
    expect(denied.body.error).toBe('appointment_not_found');
    // A token stitched from the other clinic's link (its signature, this appointment's bytes) fails.
    const mine = await linkOf(a.clinic, id);
    const foreign = await linkOf(other.clinic, theirs.id);
    const stitched = mine.token.slice(0, 16) + foreign.token.slice(16, 38) + mine.token.slice(38);
    expect((await app.request('GET', `/a/${stitched}`)).status).toBe(404);
    expect((await post(`/a/${stitched}`, 'confirm')).body.error).toBe('invalid_signature');
    expect((await appointment(a, id)).confirmation).toBeNull();
  });

  it("leads with the clinic's reference; another clinic's or an unknown one in front opens nothing", async () => {
    const a = await bookingClinic(app);
    const other = await bookingClinic(app);
    const { id } = await book(a, '2026-03-03T12:30:00Z');
    const mine = await linkOf(a.clinic, id);
    // The same 16 characters as in the clinic's API keys (miv_live_{ref}…), which the Worker routes by.
    expect(mine.token.slice(0, 16)).toBe(a.clinic.key.slice('miv_live_'.length, 'miv_live_'.length + 16));
    const otherRef = other.clinic.key.slice('miv_live_'.length, 'miv_live_'.length + 16);
    for (const ref of [otherRef, 'A'.repeat(16)]) {
      const forged = `/a/${ref}${mine.token.slice(16)}`;
      expect((await app.request('GET', forged)).status).toBe(404);
      const api = await post(forged, 'confirm');
      expect(api.status).toBe(401);
      expect(api.body.error).toBe('invalid_signature');
    }
    expect((await appointment(a, id)).confirmation).toBeNull();
    expect((await app.request('GET', mine.path)).status).toBe(200);
  });

  it('shows the appointment in the clinic language, with no phone, under a strict CSP', async () => {
    const b = await bookingClinic(app);
    const { id, phone } = await book(b, '2026-03-03T10:00:00Z');
    const { path } = await linkOf(b.clinic, id);
    const page = await app.request('GET', path);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Clínica Sorriso: A sua consulta');
    expect(page.text).toContain('Consulta de rotina');
    expect(page.text).toContain('Dr. Rui Lopes');
    expect(page.text).toContain('03/03/2026 10:00');
    expect(page.text).toContain('id="confirm"');
    expect(formsIn(page.text, phoneForms(phone, 'PT'))).toEqual([]);
    expect(page.text).not.toContain(id);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('cache-control')).toContain('no-store');
    expect((await app.request('GET', '/a/assets/appointment.js')).status).toBe(200);
  });

  it('confirms with channel patient_link; a double click and a retry replay the first answer', async () => {
    const b = await bookingClinic(app);
    const { id } = await book(b, '2026-03-03T11:00:00Z');
    const { path } = await linkOf(b.clinic, id);
    const key = crypto.randomUUID();
    const [first, second] = await Promise.all([post(path, 'confirm', key), post(path, 'confirm', key)]);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(first.text).toBe(second.text);
    expect(first.body).toEqual({ state: 'confirmed', startsAt: '2026-03-03T11:00:00+00:00' });
    const retry = await post(path, 'confirm', key);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.text).toBe(first.text);
    const row = await appointment(b, id);
    expect(row.status).toBe('confirmed');
    expect(row.confirmation).toMatchObject({ confirmedBy: 'patient_link', channel: 'patient_link' });
    const history = await app.request('GET', `/v1/appointments/${id}/history`, { key: b.clinic.key });
    expect(history.body.items.filter((h: any) => h.actor === 'patient_link')).toHaveLength(1);
    // The page now says so and offers no confirm button.
    const page = await app.request('GET', path);
    expect(page.text).toContain('Consulta confirmada. Obrigado!');
    expect(page.text).not.toContain('id="confirm"');
  });

  it('cancels through the core: the slot is free for another booking, the page shows no buttons', async () => {
    const b = await bookingClinic(app);
    const { id } = await book(b, '2026-03-03T14:00:00Z');
    const { path } = await linkOf(b.clinic, id);
    const cancelled = await post(path, 'cancel');
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.state).toBe('cancelled');
    expect(await appointment(b, id)).toMatchObject({ status: 'cancelled' });
    // The same time with the same professional books again.
    await book(b, '2026-03-03T14:00:00Z');
    const page = await app.request('GET', path);
    expect(page.text).toContain('Esta consulta foi cancelada.');
    expect(page.text).not.toContain('id="actions"');
    // Confirming a cancelled appointment is refused, not an error page.
    const late = await post(path, 'confirm');
    expect(late.status).toBe(409);
    expect(late.body.error).toBe('invalid_transition');
  });

  it('moves to another free time of the same professional, under the booking rules', async () => {
    const b = await bookingClinic(app);
    const { id } = await book(b, '2026-03-03T09:00:00Z');
    await book(b, '2026-03-04T10:00:00Z');
    const { path } = await linkOf(b.clinic, id);
    const slots = await app.request('GET', `${path}/api/slots`, { query: { date: '2026-03-04' } });
    expect(slots.status).toBe(200);
    const times = slots.body.slots.map((s: { time: string }) => s.time);
    expect(times).toContain('09:30');
    expect(times).not.toContain('10:00');
    // Taken, outside hours, too soon: refused, nothing changes.
    expect((await post(path, 'move', undefined, { startsAt: '2026-03-04T10:00:00Z' })).body.error).toBe(
      'slot_conflict',
    );
    expect((await post(path, 'move', undefined, { startsAt: '2026-03-04T22:00:00Z' })).body.error).toBe(
      'outside_working_hours',
    );
    expect((await post(path, 'move', undefined, { startsAt: '2026-03-02T09:30:00Z' })).body.error).toBe(
      'insufficient_notice',
    );
    expect((await post(path, 'move', undefined, { startsAt: 'soon' })).status).toBe(422);
    const key = crypto.randomUUID();
    const moved = await post(path, 'move', key, { startsAt: '2026-03-04T09:30:00+00:00' });
    expect(moved.status).toBe(200);
    expect(moved.body).toEqual({ state: 'pending', startsAt: '2026-03-04T09:30:00+00:00' });
    expect((await post(path, 'move', key, { startsAt: '2026-03-04T09:30:00+00:00' })).text).toBe(moved.text);
    expect(await appointment(b, id)).toMatchObject({
      status: 'rescheduled',
      startsAt: '2026-03-04T09:30:00+00:00',
      professionalId: b.rui.id,
      source: 'manual',
    });
    // The old time is free again.
    await book(b, '2026-03-03T09:00:00Z');
  });

  it('a link keeps working until three days after the visit as it stands, after a move to a later day', async () => {
    const b = await bookingClinic(app);
    const { id } = await book(b, '2026-03-03T11:00:00Z');
    const { path } = await linkOf(b.clinic, id);
    const moved = await app.request('POST', `/v1/appointments/${id}/reschedule`, {
      key: b.clinic.key,
      body: { startsAt: '2026-03-10T11:00:00Z' },
    });
    expect(moved.status).toBe(200);
    const now = app.now();
    try {
      // Past the expiry written in the token, before three days after the new start.
      app.setNow(Date.parse('2026-03-08T12:00:00Z'));
      expect((await app.request('GET', path)).status).toBe(200);
      expect((await post(path, 'confirm')).status).toBe(200);
      app.setNow(Date.parse('2026-03-13T11:00:01Z'));
      expect((await app.request('GET', path)).status).toBe(410);
    } finally {
      app.setNow(now);
    }
  });

  it('an expired link says so (410), a tampered one is not valid (404 page, 401 API), never a 500', async () => {
    const b = await bookingClinic(app);
    const { id } = await book(b, '2026-03-03T15:00:00Z');
    const { path, token } = await linkOf(b.clinic, id);
    const flipped = `/a/${token.slice(0, 30)}${token[30] === 'A' ? 'B' : 'A'}${token.slice(31)}`;
    for (const bad of [flipped, '/a/short', `/a/${'A'.repeat(48)}`, `/a/${'A'.repeat(64)}`, `/a/${token}x`]) {
      const page = await app.request('GET', bad, { headers: { 'accept-language': 'en-GB,en;q=0.8' } });
      expect(page.status).toBe(404);
      expect(page.text).toContain('This link is not valid.');
    }
    const api = await post(flipped, 'cancel');
    expect(api.status).toBe(401);
    expect(api.body.error).toBe('invalid_signature');
    const now = app.now();
    try {
      app.setNow(Date.parse('2026-03-06T15:00:01Z'));
      const page = await app.request('GET', path, { headers: { 'accept-language': 'es' } });
      expect(page.status).toBe(410);
      expect(page.text).toContain('Este enlace ha caducado.');
      expect((await post(path, 'cancel')).body.error).toBe('link_expired');
      // Before it expired, a past appointment shows its state and no buttons.
      app.setNow(Date.parse('2026-03-03T15:00:00Z') + DAY);
      const past = await app.request('GET', path);
      expect(past.text).toContain('Esta consulta já passou.');
      expect(past.text).not.toContain('id="actions"');
    } finally {
      app.setNow(now);
    }
    expect((await appointment(b, id)).status).toBe('confirmed');
  });
});
