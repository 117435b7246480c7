// /v1/professionals/{id}/schedule and /exceptions: a professional's working hours.
import { createRoute } from '@hono/zod-openapi';
import { DateTime } from 'luxon';
import {
  addException,
  findExceptions,
  getSchedule,
  removeException,
  replaceSchedule,
} from '../booking/schedule.js';
import { clockToMinute } from '../domain/working-hours.js';
import { requireScope } from '../http/middleware.js';
import { createRouter } from '../http/router.js';
import {
  errorResponses,
  IdParam,
  jsonBody,
  jsonContent,
  listOf,
  writeErrorResponses,
} from './schemas/common.js';
import {
  ExceptionInputSchema,
  ExceptionListQuery,
  ExceptionParam,
  ExceptionSchema,
  renderException,
  renderSchedule,
  ScheduleInputSchema,
  ScheduleSchema,
  toWeekly,
} from './schemas/schedule.js';

const TAG = 'Professionals';
const read = () => [requireScope('professionals:read')];
const write = () => [requireScope('professionals:write')];

const getScheduleRoute = createRoute({
  method: 'get',
  path: '/v1/professionals/{id}/schedule',
  tags: [TAG],
  summary: 'Weekly working hours',
  description:
    'Intervals per weekday in the clinic time zone. A new professional has none (no voice bookings).',
  middleware: read(),
  request: { params: IdParam },
  responses: { 200: jsonContent(ScheduleSchema, 'The weekly schedule'), ...errorResponses(404) },
});

const putScheduleRoute = createRoute({
  method: 'put',
  path: '/v1/professionals/{id}/schedule',
  tags: [TAG],
  summary: 'Replace the weekly working hours',
  middleware: write(),
  request: { params: IdParam, body: jsonBody(ScheduleInputSchema) },
  responses: { 200: jsonContent(ScheduleSchema, 'The new weekly schedule'), ...writeErrorResponses(404) },
});

const listExceptionsRoute = createRoute({
  method: 'get',
  path: '/v1/professionals/{id}/exceptions',
  tags: [TAG],
  summary: 'Dated exceptions (time off, holidays, extra hours)',
  middleware: read(),
  request: { params: IdParam, query: ExceptionListQuery },
  responses: {
    200: jsonContent(listOf(ExceptionSchema), 'Exceptions'),
    ...errorResponses(404, 422),
  },
});

const addExceptionRoute = createRoute({
  method: 'post',
  path: '/v1/professionals/{id}/exceptions',
  tags: [TAG],
  summary: 'Add time off, a holiday or extra hours',
  middleware: write(),
  request: { params: IdParam, body: jsonBody(ExceptionInputSchema) },
  responses: { 201: jsonContent(ExceptionSchema, 'The exception'), ...writeErrorResponses(404) },
});

const deleteExceptionRoute = createRoute({
  method: 'delete',
  path: '/v1/professionals/{id}/exceptions/{exceptionId}',
  tags: [TAG],
  summary: 'Remove an exception',
  middleware: write(),
  request: {
    params: ExceptionParam,
  },
  responses: { 204: { description: 'Removed' }, ...errorResponses(404) },
});

export const scheduleRoutes = createRouter()
  .openapi(getScheduleRoute, async (c) => {
    const { tenant } = c.var.credential;
    const { id } = c.req.valid('param');
    return c.json(renderSchedule(id, tenant.config.timezone, await getSchedule(c.var.deps, tenant, id)), 200);
  })
  .openapi(putScheduleRoute, async (c) => {
    const { tenant } = c.var.credential;
    const { id } = c.req.valid('param');
    const weekly = await replaceSchedule(c.var.deps, tenant, id, toWeekly(c.req.valid('json').weekly));
    return c.json(renderSchedule(id, tenant.config.timezone, weekly), 200);
  })
  .openapi(listExceptionsRoute, async (c) => {
    const { tenant } = c.var.credential;
    const zone = tenant.config.timezone;
    const query = c.req.valid('query');
    const from = query.from ?? DateTime.fromMillis(c.var.deps.clock.now(), { zone }).toISODate()!;
    const to = query.to ?? DateTime.fromISO(from, { zone }).plus({ years: 1 }).toISODate()!;
    const rows = await findExceptions(c.var.deps, tenant, c.req.valid('param').id, from, to);
    return c.json({ items: rows.map((r) => renderException(r, zone)) }, 200);
  })
  .openapi(addExceptionRoute, async (c) => {
    const { tenant } = c.var.credential;
    const body = c.req.valid('json');
    const row = await addException(c.var.deps, tenant, c.req.valid('param').id, {
      kind: body.kind,
      date: body.date,
      endDate: body.endDate,
      startMinute: body.startTime === undefined ? null : clockToMinute(body.startTime),
      endMinute: body.endTime === undefined ? null : clockToMinute(body.endTime),
      reason: body.reason,
    });
    return c.json(renderException(row, tenant.config.timezone), 201);
  })
  .openapi(deleteExceptionRoute, async (c) => {
    const { id, exceptionId } = c.req.valid('param');
    await removeException(c.var.deps, c.var.credential.tenant, id, exceptionId);
    return c.body(null, 204);
  });
