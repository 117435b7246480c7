// GET /v1/availability: free slots over up to 31 days, for one professional or any qualified one.
import { createRoute, type z } from '@hono/zod-openapi';
import type { TypedResponse } from 'hono';
import type { JSONParsed } from 'hono/utils/types';
import { findAvailability } from '../booking/availability.js';
import { fieldInvalid } from '../domain/errors.js';
import { localDay, parseInstant } from '../domain/time.js';
import { requireScope } from '../http/middleware.js';
import { createRouter } from '../http/router.js';
import { availabilityJson } from './availability-json.js';
import { AvailabilityQuery, AvailabilitySchema } from './schemas/availability.js';
import { errorResponses, jsonContent } from './schemas/common.js';

const availabilityRoute = createRoute({
  method: 'get',
  path: '/v1/availability',
  tags: ['Appointments'],
  summary: 'Free slots',
  description:
    'Slots inside working hours, respecting minimum notice, booking horizon, slot step, service buffer and ' +
    'qualification. Every slot returned can be booked with POST /v1/appointments at that moment.',
  middleware: [requireScope('appointments:read')],
  request: { query: AvailabilityQuery },
  responses: { 200: jsonContent(AvailabilitySchema, 'Free slots'), ...errorResponses(404, 422) },
});

function readBoundary(text: string, zone: string, end: boolean, path: string): number {
  const day = localDay(text, zone);
  if (day) return end ? day[1] : day[0];
  const ms = parseInstant(text);
  if (ms === null) throw fieldInvalid(path, 'A date (YYYY-MM-DD) or an ISO 8601 date-time with offset');
  return ms;
}

export const availabilityRoutes = createRouter().openapi(availabilityRoute, async (c) => {
  const { tenant } = c.var.credential;
  const zone = tenant.config.timezone;
  const q = c.req.valid('query');
  const { slots, nextFrom } = await findAvailability(c.var.deps, tenant, {
    serviceTypeId: q.serviceTypeId,
    professionalId: q.professionalId,
    from: readBoundary(q.from, zone, false, 'from'),
    to: readBoundary(q.to, zone, true, 'to'),
    limit: q.limit,
  });
  const json = availabilityJson({ serviceTypeId: q.serviceTypeId, timezone: zone, slots, nextFrom });
  // Written as text (see availability-json.ts): the route's typed answer is asserted here, once.
  return c.body(json, 200, { 'Content-Type': 'application/json' }) as unknown as Response &
    TypedResponse<JSONParsed<z.infer<typeof AvailabilitySchema>>, 200, 'json'>;
});
