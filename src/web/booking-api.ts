// The self-service door: what the public booking page calls. Same core as every other door, with
// source self_service, so working hours, notice, horizon and the overlap rule all apply.
import { Hono } from 'hono';
import { z } from 'zod';
import { bookAppointment } from '../booking/book.js';
import { listItems } from '../booking/catalog.js';
import { commandContext } from '../booking/context.js';
import type { AnswerFor } from '../booking/outcome.js';
import { freeStartTimes } from '../booking/start-times.js';
import { AppError, fieldInvalid } from '../domain/errors.js';
import { appointmentReference } from '../domain/reference.js';
import { unsafeCharacter, unsafeTextMessage } from '../domain/text.js';
import { localDate, localDay, parseInstant, renderInstant } from '../domain/time.js';
import { refusalAnswer } from '../http/answer.js';
import type { AppEnv } from '../http/env.js';
import { bookingAttemptsPerIp } from '../http/rate-limit-middleware.js';
import { validationError } from '../http/router.js';
import { publicClinic } from './clinic.js';

// The free-text rule of every door (src/domain/text.ts).
const safeText = (multiline: boolean) => (value: string) => unsafeCharacter(value, multiline) === null;
const unsafeText = (multiline: boolean) => ({
  error: (issue: { input: unknown }) =>
    unsafeTextMessage(unsafeCharacter(String(issue.input), multiline) ?? ''),
});

const BookingSchema = z
  .object({
    serviceTypeId: z.string().min(1).max(100),
    startsAt: z.string().max(40),
    patientName: z.string().max(200).refine(safeText(false), unsafeText(false)),
    patientPhone: z.string().trim().min(6).max(30),
    notes: z.string().trim().max(1000).refine(safeText(true), unsafeText(true)).optional(),
    // Left empty by people; bots fill every field.
    website: z.string().max(0, 'Leave this field empty').optional(),
  })
  .strict();

/** The page's answer: the patient sees their booking, not the clinic's record (no staff ids, no hash). */
const pageAnswer =
  (requestId: string): AnswerFor =>
  (outcome) => {
    if (outcome.kind === 'refused') return refusalAnswer(outcome.refusal, requestId);
    if (outcome.kind !== 'booked') throw new Error('The booking page only books');
    const { appointment, professional, service } = outcome;
    return {
      status: 201,
      body: JSON.stringify({
        reference: appointmentReference(appointment.id),
        startsAt: appointment.startsAt,
        endsAt: appointment.endsAt,
        professionalName: professional.name,
        serviceName: service.name,
      }),
      location: null,
    };
  };

export const bookingApi = new Hono<AppEnv>()
  .get('/booking/:slug/api/clinic', async (c) => {
    const tenant = await publicClinic(c.var.deps, c.req.param('slug'));
    const services = await listItems(c.var.deps.store.db, 'service', tenant.id, { active: true });
    return c.json({
      name: tenant.name,
      timezone: tenant.config.timezone,
      language: tenant.config.language,
      today: localDate(c.var.deps.clock.now(), tenant.config.timezone),
      services: services.map((s) => ({
        id: s.id,
        name: s.name,
        durationMinutes: s.durationMinutes,
        priceCents: s.priceCents,
        currency: s.currency,
      })),
    });
  })
  .get('/booking/:slug/api/slots', async (c) => {
    const tenant = await publicClinic(c.var.deps, c.req.param('slug'));
    const zone = tenant.config.timezone;
    const date = c.req.query('date') ?? '';
    const day = localDay(date, zone);
    if (!day) throw fieldInvalid('date', 'A date YYYY-MM-DD');
    const times = await freeStartTimes(c.var.deps, tenant, {
      serviceTypeId: c.req.query('serviceTypeId') ?? '',
      from: day[0],
      to: day[1],
      limit: 1000,
    });
    return c.json({
      date,
      slots: times.map(({ startsAt }) => {
        const local = renderInstant(startsAt, zone);
        return { startsAt: local, time: local.slice(11, 16) };
      }),
    });
  })
  .post('/booking/:slug/api/appointments', bookingAttemptsPerIp, async (c) => {
    const { deps, requestId } = c.var;
    const tenant = await publicClinic(deps, c.req.param('slug'));
    let json: unknown;
    try {
      json = await c.req.json();
    } catch {
      throw new AppError('malformed_payload', 'The request body is not valid JSON');
    }
    const parsed = BookingSchema.safeParse(json);
    if (!parsed.success) throw validationError(parsed.error);
    const body = parsed.data;
    const startsAt = parseInstant(body.startsAt);
    if (startsAt === null) throw fieldInvalid('startsAt', 'Pick one of the offered times');
    const ctx = await commandContext({
      deps,
      tenant,
      actor: 'self_service',
      source: 'self_service',
      answer: pageAnswer(requestId),
      // The page's keys live apart from the clinic's API keys: a visitor can neither block nor probe
      // a PMS key. Not per visitor address: a phone that changes network mid-retry must still replay.
      key: { value: c.req.header('idempotency-key'), scope: 'page', operation: 'book', input: body },
    });
    const { answer, replayed } = await bookAppointment(ctx, {
      serviceTypeId: body.serviceTypeId,
      startsAt,
      patientName: body.patientName,
      patientPhone: body.patientPhone,
      patientNotes: body.notes ?? null,
    });
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (replayed) headers['Idempotent-Replayed'] = 'true';
    return c.body(answer.body, answer.status as 201, headers);
  });
