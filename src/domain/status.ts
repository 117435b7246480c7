// The appointment status machine. `rescheduled` behaves like `confirmed`: it holds its slot and can
// move on the same way; attended, no_show and cancelled are final. The lists below are the only
// spelling of these words: the schema's enum columns and CHECKs, the API's zod enums and the types
// are all built from them.

export const APPOINTMENT_STATUSES = ['confirmed', 'attended', 'no_show', 'cancelled', 'rescheduled'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

/** Statuses that hold a slot: a rescheduled appointment still occupies its (new) time. */
export const BLOCKING_STATUSES = ['confirmed', 'rescheduled'] as const satisfies readonly AppointmentStatus[];
export type BlockingStatus = (typeof BLOCKING_STATUSES)[number];

const NEXT: Record<AppointmentStatus, readonly AppointmentStatus[]> = {
  confirmed: ['attended', 'no_show', 'cancelled', 'rescheduled'],
  rescheduled: ['attended', 'no_show', 'cancelled', 'rescheduled'],
  attended: [],
  no_show: [],
  cancelled: [],
};

export const canTransition = (from: AppointmentStatus, to: AppointmentStatus) => NEXT[from].includes(to);

export const isBlocking = (status: AppointmentStatus): status is BlockingStatus =>
  (BLOCKING_STATUSES as readonly AppointmentStatus[]).includes(status);
