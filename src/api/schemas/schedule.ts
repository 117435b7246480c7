// Working hours and exceptions as the API shows them: wall-clock "HH:MM" in the clinic's time zone.
import { z } from '@hono/zod-openapi';
import type { StoredException } from '../../booking/schedule.js';
import { renderInstant } from '../../domain/time.js';
import { clockToMinute, minuteToClock, WEEKDAYS, type WeeklySchedule } from '../../domain/working-hours.js';
import { IdParam, text } from './common.js';

const clock = z
  .string()
  .refine((t) => clockToMinute(t) !== null, 'A time "HH:MM" from 00:00 to 24:00')
  .openapi({ example: '09:00' });

const IntervalSchema = z.object({ start: clock, end: clock.openapi({ example: '13:00' }) }).strict();

export const WeeklySchema = z
  .object(
    Object.fromEntries(WEEKDAYS.map((d) => [d, z.array(IntervalSchema).max(12).optional()])) as Record<
      (typeof WEEKDAYS)[number],
      z.ZodOptional<z.ZodArray<typeof IntervalSchema>>
    >,
  )
  .strict()
  .openapi({
    example: {
      monday: [
        { start: '09:00', end: '13:00' },
        { start: '14:00', end: '18:00' },
      ],
      saturday: [],
    },
  });

export const ScheduleSchema = z
  .object({
    professionalId: z.string(),
    timezone: z.string().openapi({ example: 'Europe/Lisbon' }),
    weekly: z.record(z.enum(WEEKDAYS), z.array(z.object({ start: z.string(), end: z.string() }))),
  })
  .openapi('Schedule');

export const ScheduleInputSchema = z.object({ weekly: WeeklySchema }).strict().openapi('ScheduleInput');

export const toWeekly = (input: z.infer<typeof WeeklySchema>): WeeklySchedule =>
  Object.fromEntries(
    Object.entries(input).map(([day, intervals]) => [
      day,
      (intervals ?? []).map((i) => ({ start: clockToMinute(i.start)!, end: clockToMinute(i.end)! })),
    ]),
  );

export const renderSchedule = (professionalId: string, timezone: string, weekly: WeeklySchedule) => ({
  professionalId,
  timezone,
  weekly: Object.fromEntries(
    WEEKDAYS.map((d) => [
      d,
      (weekly[d] ?? []).map((i) => ({ start: minuteToClock(i.start), end: minuteToClock(i.end) })),
    ]),
  ) as Record<(typeof WEEKDAYS)[number], { start: string; end: string }[]>,
});

const isoDate = z.iso
  .date()
  .openapi({ example: '2026-12-24', description: 'Local date in the clinic time zone' });

export const ExceptionInputSchema = z
  .object({
    kind: z.enum(['time_off', 'holiday', 'extra_hours']).openapi({
      description:
        'time_off (whole day or startTime–endTime), holiday (whole days), extra_hours (startTime–endTime)',
    }),
    date: isoDate,
    endDate: isoDate.optional().openapi({ description: 'Last day, inclusive (default: date)' }),
    startTime: clock.optional(),
    endTime: clock.optional(),
    reason: text(300, { min: 0, trim: false }).nullable().optional(),
  })
  .strict()
  .openapi('ScheduleExceptionInput');

export const ExceptionSchema = z
  .object({
    id: z.string(),
    professionalId: z.string(),
    kind: z.enum(['time_off', 'holiday', 'extra_hours']),
    date: z.string(),
    endDate: z.string(),
    startTime: z.string().nullable(),
    endTime: z.string().nullable(),
    reason: z.string().nullable(),
    createdAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('ScheduleException');

export const ExceptionParam = IdParam.extend({
  exceptionId: z.string().openapi({ param: { name: 'exceptionId', in: 'path' } }),
});

export const ExceptionListQuery = z.object({
  from: isoDate.optional().openapi({ description: 'First local date (default: today)' }),
  to: isoDate.optional().openapi({ description: 'Last local date (default: a year after from)' }),
});

export const renderException = (row: StoredException, zone: string): z.infer<typeof ExceptionSchema> => ({
  id: row.id,
  professionalId: row.professionalId,
  kind: row.kind as z.infer<typeof ExceptionSchema>['kind'],
  date: row.startDate,
  endDate: row.endDate,
  startTime: row.startMinute === null ? null : minuteToClock(row.startMinute),
  endTime: row.endMinute === null ? null : minuteToClock(row.endMinute),
  reason: row.reason,
  createdAt: renderInstant(row.createdAt, zone),
});
