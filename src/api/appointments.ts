// /v1/appointments: the PMS door into the booking core.
import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { appointmentLocation, viewAppointment } from '../booking/appointment-view.js';
import { bookAppointment } from '../booking/book.js';
import type { CommandContext } from '../booking/context.js';
import { findAppointments, getAppointment } from '../booking/find.js';
import { idempotencyFor } from '../booking/idempotency-key.js';
import { sendAnswer } from '../http/answer.js';
import type { AppEnv } from '../http/env.js';
import { fieldInvalid } from '../domain/errors.js';
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

/** The booking-core context of a REST write: the key's clinic, the key as actor, its idempotency. */
export async function restCommand(c: Context<AppEnv>, route: string, body: unknown): Promise<CommandContext> {
  const { credential, deps, requestId } = c.var;
  return {
    deps,
    tenant: credential.tenant,
    actor: `key:${credential.keyId}`,
    requestId,
    idempotency: await idempotencyFor(c.req.header('idempotency-key'), c.req.method, route, body),
    channel: 'manual',
  };
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
    const body = c.req.valid('json');
    const source = body.source ?? 'manual';
    if (source !== 'manual' && source !== 'sync_external') {
      throw fieldInvalid('source', `"${source}" is set by its own door; use manual or sync_external`);
    }
    const ctx = await restCommand(c, '/v1/appointments', body);
    const result = await bookAppointment(ctx, { ...body, source });
    return sendAnswer(c, result) as never;
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
