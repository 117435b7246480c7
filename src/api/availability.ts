// GET /v1/availability: free slots over up to 31 days, for one professional or any qualified one.
import { createRoute, z } from '@hono/zod-openapi';
import { findAvailability, MAX_RANGE_DAYS } from '../booking/availability.js';
import { localDay, parseInstant, renderInstant } from '../domain/time.js';
import { fieldInvalid } from '../domain/errors.js';
import { requireScope } from '../http/middleware.js';
import { createRouter } from '../http/router.js';
import { errorResponses, jsonContent } from './schemas/common.js';

/** A date-time with offset, or a local date (the start of that day, or for `to` its end). */
const boundary = (description: string) => z.string().openapi({ description, example: '2026-05-14' });

const AvailabilityQuery = z.object({
  serviceTypeId: z.string().openapi({ format: 'uuid' }),
  from: boundary('Start: ISO date-time with offset, or a local date (that day from 00:00)'),
  to: boundary(
    `End, exclusive: ISO date-time, or a local date (through the end of that day); at most ${MAX_RANGE_DAYS} days after from`,
  ),
  professionalId: z
    .string()
    .optional()
    .openapi({ description: 'Only this professional (default: any qualified one)' }),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
});

const SlotSchema = z
  .object({
    startsAt: z.string().openapi({ format: 'date-time', example: '2026-05-14T10:00:00+01:00' }),
    endsAt: z.string().openapi({ format: 'date-time', example: '2026-05-14T10:30:00+01:00' }),
    professionalId: z.string(),
  })
  .openapi('Slot');

const AvailabilitySchema = z
  .object({
    serviceTypeId: z.string(),
    timezone: z.string(),
    items: z.array(SlotSchema),
    nextFrom: z
      .string()
      .nullable()
      .openapi({ description: 'More slots exist: ask again with from = nextFrom' }),
  })
  .openapi('Availability');

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
  return c.json(
    {
      serviceTypeId: q.serviceTypeId,
      timezone: zone,
      items: slots.map((s) => ({
        startsAt: renderInstant(s.startsAt, zone),
        endsAt: renderInstant(s.endsAt, zone),
        professionalId: s.professionalId,
      })),
      nextFrom: nextFrom === null ? null : renderInstant(nextFrom, zone),
    },
    200,
  );
});
