// Changing appointments over REST: PATCH, DELETE (cancel) and the action routes, plus the conflict
// check and the history. Every write goes through the core's changeAppointment.
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { type AppointmentChange, changeAppointment } from '../booking/change.js';
import { findConflicts } from '../booking/conflicts.js';
import { appointmentHistory } from '../booking/history.js';
import { renderInstant } from '../domain/time.js';
import { sendAnswer } from '../http/answer.js';
import type { AppEnv } from '../http/env.js';
import { requireScope } from '../http/middleware.js';
import { createRouter } from '../http/router.js';
import { restCommand } from './appointments.js';
import {
  AppointmentPatchSchema,
  AppointmentSchema,
  CancelSchema,
  ConflictsQuery,
  ConflictsSchema,
  HistoryEntrySchema,
  RescheduleSchema,
} from './schemas/appointment.js';
import {
  errorResponses,
  IdempotencyHeader,
  IdParam,
  jsonBody,
  jsonContent,
  writeErrorResponses,
} from './schemas/common.js';

const TAG = 'Appointments';
const write = () => [requireScope('appointments:write')];
const changed = jsonContent(AppointmentSchema, 'The appointment after the change (or replayed)');

const optionalBody = <T extends z.ZodType>(schema: T) => ({
  required: false,
  content: { 'application/json': { schema } },
});

const action = (path: string, summary: string, description: string, body?: z.ZodType) =>
  createRoute({
    method: 'post',
    path: `/v1/appointments/{id}/${path}`,
    tags: [TAG],
    summary,
    description,
    middleware: write(),
    request: { params: IdParam, headers: IdempotencyHeader, ...(body ? { body: optionalBody(body) } : {}) },
    responses: { 200: changed, ...writeErrorResponses(404, 409) },
  });

const patchRoute = createRoute({
  method: 'patch',
  path: '/v1/appointments/{id}',
  tags: [TAG],
  summary: 'Change an appointment',
  description:
    'Status (confirmed/rescheduled → attended, no_show, cancelled), notes, metadata, or a new `startsAt` ' +
    '(+ optional professionalId/serviceTypeId) to reschedule in place. 409 invalid_transition for a final ' +
    'status; 409 slot_conflict leaves the appointment untouched. Setting `attended` stops no-show detection.',
  middleware: write(),
  request: { params: IdParam, headers: IdempotencyHeader, body: jsonBody(AppointmentPatchSchema) },
  responses: { 200: changed, ...writeErrorResponses(404, 409) },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/v1/appointments/{id}',
  tags: [TAG],
  summary: 'Cancel an appointment',
  description: 'Sets status cancelled (the record stays). Cancelling a cancelled appointment is a no-op.',
  middleware: write(),
  request: { params: IdParam, headers: IdempotencyHeader },
  responses: { 204: { description: 'Cancelled' }, ...errorResponses(400, 404, 409, 422) },
});

const cancelRoute = action(
  'cancel',
  'Cancel, with a reason',
  'Same as DELETE, answering the appointment.',
  CancelSchema,
);
const attendRoute = action('attend', 'Mark attended (check-in)', 'Stops no-show detection.');
const noShowRoute = action('no-show', 'Mark no-show', 'Only once the appointment has started.');
const rescheduleRoute = createRoute({
  method: 'post',
  path: '/v1/appointments/{id}/reschedule',
  tags: [TAG],
  summary: 'Reschedule in place',
  description: 'Same id, status rescheduled; the new slot is overlap-checked atomically.',
  middleware: write(),
  request: { params: IdParam, headers: IdempotencyHeader, body: jsonBody(RescheduleSchema) },
  responses: { 200: changed, ...writeErrorResponses(404, 409) },
});

const conflictsRoute = createRoute({
  method: 'get',
  path: '/v1/appointments/conflicts',
  tags: [TAG],
  summary: 'Check a time for conflicts',
  description:
    'The confirmed/rescheduled appointments of the professional that a booking at this time would overlap.',
  middleware: [requireScope('appointments:read')] as const,
  request: { query: ConflictsQuery },
  responses: { 200: jsonContent(ConflictsSchema, 'Conflicts, if any'), ...errorResponses(404, 422) },
});

const historyRoute = createRoute({
  method: 'get',
  path: '/v1/appointments/{id}/history',
  tags: [TAG],
  summary: "An appointment's history",
  description: 'Who changed what, from → to, and when: oldest first.',
  middleware: [requireScope('appointments:read')] as const,
  request: { params: IdParam },
  responses: {
    200: jsonContent(z.object({ items: z.array(HistoryEntrySchema) }), 'The changes'),
    ...errorResponses(404),
  },
});

async function change<S extends 200 | 204>(
  c: Context<AppEnv>,
  id: string,
  body: unknown,
  what: AppointmentChange,
  success: S,
) {
  const ctx = await restCommand(c, body, success);
  return sendAnswer(c, await changeAppointment(ctx, id, what), success);
}

/** Routes that must be matched before `/v1/appointments/{id}`. */
export const appointmentQueryRoutes = createRouter().openapi(conflictsRoute, async (c) => {
  return c.json(await findConflicts(c.var.deps, c.var.credential.tenant, c.req.valid('query')), 200);
});

export const appointmentLifecycleRoutes = createRouter()
  .openapi(patchRoute, async (c) => {
    const { startsAt, professionalId, serviceTypeId, ...rest } = c.req.valid('json');
    const reschedule = startsAt === undefined ? undefined : { startsAt, professionalId, serviceTypeId };
    return change(c, c.req.valid('param').id, c.req.valid('json'), { ...rest, reschedule }, 200);
  })
  .openapi(deleteRoute, async (c) => change(c, c.req.valid('param').id, null, { status: 'cancelled' }, 204))
  .openapi(cancelRoute, async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as z.infer<typeof CancelSchema>;
    const parsed = CancelSchema.parse(body ?? {});
    return change(
      c,
      c.req.valid('param').id,
      parsed,
      {
        status: 'cancelled',
        cancellationReason: parsed.reason ?? null,
      },
      200,
    );
  })
  .openapi(attendRoute, async (c) => change(c, c.req.valid('param').id, null, { status: 'attended' }, 200))
  .openapi(noShowRoute, async (c) => change(c, c.req.valid('param').id, null, { status: 'no_show' }, 200))
  .openapi(rescheduleRoute, async (c) => {
    const body = c.req.valid('json');
    return change(c, c.req.valid('param').id, body, { reschedule: body }, 200);
  })
  .openapi(historyRoute, async (c) => {
    const { tenant } = c.var.credential;
    const entries = await appointmentHistory(c.var.deps, tenant, c.req.valid('param').id);
    const items = entries.map((h) => ({
      ...h,
      occurredAt: renderInstant(h.occurredAt, tenant.config.timezone),
    }));
    return c.json({ items }, 200);
  });
