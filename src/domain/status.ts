// The appointment status machine. `rescheduled` behaves like `confirmed`: it holds its slot and can
// move on the same way; attended, no_show and cancelled are final.
export const APPOINTMENT_STATUSES = ['confirmed', 'attended', 'no_show', 'cancelled', 'rescheduled'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

const NEXT: Record<AppointmentStatus, readonly AppointmentStatus[]> = {
  confirmed: ['attended', 'no_show', 'cancelled', 'rescheduled'],
  rescheduled: ['attended', 'no_show', 'cancelled', 'rescheduled'],
  attended: [],
  no_show: [],
  cancelled: [],
};

export const canTransition = (from: AppointmentStatus, to: AppointmentStatus) => NEXT[from].includes(to);

/** The statuses that hold their slot: the overlap rule and the "upcoming" lists count only these. */
export const BLOCKING_STATUSES = ['confirmed', 'rescheduled'] as const satisfies readonly AppointmentStatus[];

export const isBlocking = (status: AppointmentStatus) =>
  (BLOCKING_STATUSES as readonly AppointmentStatus[]).includes(status);
