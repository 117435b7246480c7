// Free slots: the query (dates or date-times) and the answer.
import { z } from '@hono/zod-openapi';
import { MAX_RANGE_DAYS } from '../../booking/availability.js';

/** A date-time with offset, or a local date (the start of that day, or for `to` its end). */
const boundary = (description: string) => z.string().openapi({ description, example: '2026-05-14' });

export const AvailabilityQuery = z.object({
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

export const SlotSchema = z
  .object({
    startsAt: z.string().openapi({ format: 'date-time', example: '2026-05-14T10:00:00+01:00' }),
    endsAt: z.string().openapi({ format: 'date-time', example: '2026-05-14T10:30:00+01:00' }),
    professionalId: z.string(),
  })
  .openapi('Slot');

export const AvailabilitySchema = z
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
