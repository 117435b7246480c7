// /v1/appointments: the PMS door into the booking core.
import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { type AppointmentSource, viewAppointment } from '../booking/appointment-view.js';
import { bookAppointment } from '../booking/book.js';
import { type CommandContext, commandContext } from '../booking/context.js';
import { findAppointments, getAppointment } from '../booking/find.js';
import { fieldInvalid } from '../domain/errors.js';
import { appointmentLocation, type RestSuccess, restAnswer, sendAnswer } from '../http/answer.js';
import type { AppEnv } from '../http/env.js';
import { requireScope } from '../http/middleware.js';
import { createRouter } from '../http/router.js';
import {
  AppointmentCreateSchema,
  AppointmentListQuery,
  AppointmentListSchema,
  AppointmentSchema,
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

/**
 * The booking-core context of a REST write: the key's clinic, the key as actor and as the owner of
 * its Idempotency-Keys (a key never sees another caller's keys), the answer this route gives.
 */
export function restCommand(
  c: Context<AppEnv>,
  body: unknown,
  success: RestSuccess,
  source: AppointmentSource = 'manual',
): Promise<CommandContext> {
  const { credential, deps, requestId } = c.var;
  return commandContext({
    deps,
    tenant: credential.tenant,
    actor: `key:${credential.keyId}`,
    source,
    answer: restAnswer(requestId, success),
    key: {
      value: c.req.header('idempotency-key'),
      scope: `key:${credential.keyId}`,
      operation: `${c.req.method} ${c.req.path}`,
      input: body,
    },
  });
}

const createAppointment = createRoute({
  method: 'post',
  path: '/v1/appointments',
  tags: [TAG],
  summary: 'Create an appointment',
  description:
    'Books an appointment made outside the voice agent (e.g. in the PMS). `endsAt` is `startsAt` plus the ' +
    "service's duration. 409 slot_conflict when the professional already has an overlapping confirmed or " +
    'rescheduled appointment (touching intervals are fine).',
  middleware: [requireScope('appointments:write')] as const,
  request: { headers: IdempotencyHeader, body: jsonBody(AppointmentCreateSchema) },
  responses: {
    201: jsonContent(AppointmentSchema, 'Appointment created (or replayed, with Idempotent-Replayed: true)'),
    ...writeErrorResponses(404, 409),
  },
});

const listAppointmentsRoute = createRoute({
  method: 'get',
  path: '/v1/appointments',
  tags: [TAG],
  summary: 'List appointments',
  description: 'Ordered by startsAt. `from` is inclusive, `to` exclusive.',
  middleware: [requireScope('appointments:read')] as const,
  request: { query: AppointmentListQuery },
  responses: { 200: jsonContent(AppointmentListSchema, 'A page of appointments'), ...errorResponses(422) },
});

const getAppointmentRoute = createRoute({
  method: 'get',
  path: '/v1/appointments/{id}',
  tags: [TAG],
  summary: 'Get an appointment',
  middleware: [requireScope('appointments:read')] as const,
  request: { params: IdParam },
  responses: { 200: jsonContent(AppointmentSchema, 'The appointment'), ...errorResponses(404) },
});

export const appointmentRoutes = createRouter()
  .openapi(createAppointment, async (c) => {
    const { source = 'manual', ...body } = c.req.valid('json');
    if (source !== 'manual' && source !== 'sync_external') {
      throw fieldInvalid('source', `"${source}" is set by its own door; use manual or sync_external`);
    }
    const ctx = await restCommand(c, c.req.valid('json'), 201, source);
    return sendAnswer(c, await bookAppointment(ctx, body), 201);
  })
  .openapi(listAppointmentsRoute, async (c) => {
    const { cursor, ...query } = c.req.valid('query');
    const page = await findAppointments(c.var.deps, c.var.credential.tenant, {
      ...query,
      statuses: query.status,
      cursor,
    });
    return c.json(page, 200);
  })
  .openapi(getAppointmentRoute, async (c) => {
    const { tenant } = c.var.credential;
    const row = await getAppointment(c.var.deps, tenant, c.req.valid('param').id);
    c.header('Content-Location', appointmentLocation(row.id));
    return c.json(viewAppointment(row, tenant.config.timezone), 200);
  });
