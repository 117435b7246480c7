// The patient link's JSON API (/a/{token}/api/...), what the appointment page's buttons call: free
// times to move to, and confirm, cancel, move. The same core as every other door: changeAppointment
// with source self_service (notice, horizon, working hours and the overlap rule apply), the
// confirmation recorded with channel patient_link, and the page's Idempotency-Key per click scoped
// to this link's appointment, so a double click or a retry replays the first answer.
import { Hono } from 'hono';
import { z } from 'zod';
import { type AppointmentChange, changeAppointment } from '../booking/change.js';
import { commandContext } from '../booking/context.js';
import type { AnswerFor } from '../booking/outcome.js';
import { openPatientLink } from '../booking/patient-link.js';
import { freeStartTimes } from '../booking/start-times.js';
import { AppError, fieldInvalid } from '../domain/errors.js';
import { localDay, parseInstant, renderInstant } from '../domain/time.js';
import { refusalAnswer } from '../http/answer.js';
import type { AppEnv } from '../http/env.js';
import { bookingAttemptsPerIp } from '../http/rate-limit-middleware.js';
import { validationError } from '../http/router.js';
import { stateOf } from './appointment-state.js';

/** Who acts in the history when the patient uses their link. */
export const PATIENT_LINK_ACTOR = 'patient_link';

const MoveSchema = z.object({ startsAt: z.string().max(40) }).strict();

/** The page's answer: the new state and time, nothing of the clinic's record. */
const linkAnswer =
  (requestId: string, zone: string, now: number): AnswerFor =>
  (outcome) => {
    if (outcome.kind === 'refused') return refusalAnswer(outcome.refusal, requestId);
    if (outcome.kind !== 'changed') throw new Error('A patient link only changes an appointment');
    const { record } = outcome;
    return {
      status: 200,
      body: JSON.stringify({ state: stateOf(record, now), startsAt: renderInstant(record.startsAt, zone) }),
      location: null,
    };
  };

type Action = 'confirm' | 'cancel' | 'move';

async function act(c: import('hono').Context<AppEnv>, action: Action) {
  const { deps, requestId } = c.var;
  const link = await openPatientLink(deps, c.req.param('token') ?? '');
  const { tenant, appointment } = link;
  let input: Record<string, unknown> = {};
  let change: AppointmentChange;
  if (action === 'move') {
    let json: unknown;
    try {
      json = await c.req.json();
    } catch {
      throw new AppError('malformed_payload', 'The request body is not valid JSON');
    }
    const parsed = MoveSchema.safeParse(json);
    if (!parsed.success) throw validationError(parsed.error);
    const startsAt = parseInstant(parsed.data.startsAt);
    if (startsAt === null) throw fieldInvalid('startsAt', 'Pick one of the offered times');
    if (!appointment.serviceTypeId)
      throw fieldInvalid('startsAt', 'Call the clinic to move this appointment');
    input = parsed.data;
    change = { reschedule: { startsAt, professionalId: appointment.professionalId } };
  } else if (action === 'confirm') {
    change = { confirm: true, confirmVia: 'patient_link' };
  } else {
    change = { status: 'cancelled' };
  }
  const ctx = await commandContext({
    deps,
    tenant,
    actor: PATIENT_LINK_ACTOR,
    source: 'self_service',
    answer: linkAnswer(requestId, tenant.config.timezone, deps.clock.now()),
    key: {
      value: c.req.header('idempotency-key'),
      scope: `link:${appointment.id}`,
      operation: action,
      input,
    },
  });
  const { answer, replayed } = await changeAppointment(ctx, appointment.id, change);
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' };
  if (replayed) headers['Idempotent-Replayed'] = 'true';
  return c.body(answer.body, answer.status as 200, headers);
}

export const appointmentApi = new Hono<AppEnv>()
  .get('/a/:token/api/slots', async (c) => {
    const { deps } = c.var;
    const { tenant, appointment } = await openPatientLink(deps, c.req.param('token'));
    const zone = tenant.config.timezone;
    const date = c.req.query('date') ?? '';
    const day = localDay(date, zone);
    if (!day) throw fieldInvalid('date', 'A date YYYY-MM-DD');
    // The same professional: a patient moving a visit keeps their doctor.
    const times = appointment.serviceTypeId
      ? await freeStartTimes(deps, tenant, {
          serviceTypeId: appointment.serviceTypeId,
          professionalId: appointment.professionalId,
          from: day[0],
          to: day[1],
          limit: 1000,
        })
      : [];
    return c.json(
      {
        date,
        slots: times.map(({ startsAt }) => {
          const local = renderInstant(startsAt, zone);
          return { startsAt: local, time: local.slice(11, 16) };
        }),
      },
      200,
      { 'Cache-Control': 'no-store' },
    );
  })
  .post('/a/:token/api/confirm', bookingAttemptsPerIp, (c) => act(c, 'confirm'))
  .post('/a/:token/api/cancel', bookingAttemptsPerIp, (c) => act(c, 'cancel'))
  .post('/a/:token/api/move', bookingAttemptsPerIp, (c) => act(c, 'move'));
