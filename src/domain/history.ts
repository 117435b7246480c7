// What an appointment's history records: one action per change. Each action has a webhook event of
// the same name (`appointment.<action>`), see src/booking/events.ts.

export const HISTORY_ACTIONS = [
  'created',
  'rescheduled',
  'cancelled',
  'attended',
  'no_show',
  'updated',
] as const;
export type HistoryAction = (typeof HISTORY_ACTIONS)[number];

/** A history entry's {field: {from, to}} for the fields that really changed. */
export type FieldChanges = Record<string, { from: unknown; to: unknown }>;
