// The self-service door: what the public booking page calls. Same core as every other door, with
// source self_service, so working hours, notice, horizon and the overlap rule all apply.
import { Hono } from 'hono';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { findAvailability } from '../booking/availability.js';
import { bookAppointment } from '../booking/book.js';
import { listItems } from '../booking/catalog.js';
import { idempotencyFor } from '../booking/idempotency-key.js';
import { AppError, fieldInvalid } from '../domain/errors.js';
import { unsafeCharacter, unsafeTextMessage } from '../domain/text.js';
import { parseInstant, renderInstant } from '../domain/time.js';
import { sendAnswer } from '../http/answer.js';
import type { AppEnv } from '../http/env.js';
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
    patientName: z.string().trim().min(2).max(200).refine(safeText(false), unsafeText(false)),
    patientPhone: z.string().trim().min(6).max(30),
    notes: z.string().trim().max(1000).refine(safeText(true), unsafeText(true)).optional(),
    // Left empty by people; bots fill every field.
    website: z.string().max(0, 'Leave this field empty').optional(),
  })
  .strict();

export const bookingApi = new Hono<AppEnv>()
  .get('/booking/:slug/api/clinic', async (c) => {
    const tenant = await publicClinic(c.var.deps, c.req.param('slug'));
    const services = await listItems(c.var.deps.store.db, 'service', tenant.id, { active: true });
    return c.json({
      name: tenant.name,
      timezone: tenant.config.timezone,
      language: tenant.config.language,
      today: DateTime.fromMillis(c.var.deps.clock.now(), { zone: tenant.config.timezone }).toISODate(),
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
    const serviceTypeId = c.req.query('serviceTypeId') ?? '';
    const day = DateTime.fromISO(c.req.query('date') ?? '', { zone });
    if (!day.isValid) throw fieldInvalid('date', 'A date YYYY-MM-DD');
    const { slots } = await findAvailability(c.var.deps, tenant, {
      serviceTypeId,
      from: day.startOf('day').toMillis(),
      to: day.plus({ days: 1 }).startOf('day').toMillis(),
      limit: 1000,
    });
    // A patient picks a time, not a professional: one entry per start time.
    const times = [...new Set(slots.map((s) => s.startsAt))];
    return c.json({
      date: day.toISODate(),
      slots: times.map((ms) => ({
        startsAt: renderInstant(ms, zone),
        time: DateTime.fromMillis(ms, { zone }).toFormat('HH:mm'),
      })),
    });
  })
  .post('/booking/:slug/api/appointments', async (c) => {
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
    const ctx = {
      deps,
      tenant,
      actor: 'self_service',
      requestId,
      idempotency: await idempotencyFor(c.req.header('idempotency-key'), 'POST', c.req.path, body),
      channel: 'self_service' as const,
    };
    const result = await bookAppointment(ctx, {
      serviceTypeId: body.serviceTypeId,
      startsAt,
      patientName: body.patientName,
      patientPhone: body.patientPhone,
      patientNotes: body.notes ?? null,
      source: 'self_service',
    });
    // A refusal goes out exactly as the core recorded it; a booking is shown in the patient's terms.
    if (result.answer.status !== 201) return sendAnswer(c, result);
    if (result.replayed) c.header('Idempotent-Replayed', 'true');
    const { answer } = result;
    // The patient sees their booking, not the clinic's record (no ids of staff, no phone hash).
    const booked = JSON.parse(answer.body) as {
      id: string;
      startsAt: string;
      endsAt: string;
      professionalId: string;
      serviceTypeId: string;
    };
    const [professionals, services] = await Promise.all([
      listItems(deps.store.db, 'professional', tenant.id),
      listItems(deps.store.db, 'service', tenant.id),
    ]);
    return c.json(
      {
        reference: booked.id.slice(0, 8).toUpperCase(),
        startsAt: booked.startsAt,
        endsAt: booked.endsAt,
        professionalName: professionals.find((p) => p.id === booked.professionalId)?.name ?? null,
        serviceName: services.find((s) => s.id === booked.serviceTypeId)?.name ?? null,
      },
      201,
    );
  });
