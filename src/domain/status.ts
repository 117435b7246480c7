// The appointment status machine. `rescheduled` behaves like `confirmed`: it holds its slot and can
// move on the same way; attended, no_show and cancelled are final.
import type { AppointmentStatus } from '../booking/appointment-view.js';

const NEXT: Record<AppointmentStatus, readonly AppointmentStatus[]> = {
  confirmed: ['attended', 'no_show', 'cancelled', 'rescheduled'],
  rescheduled: ['attended', 'no_show', 'cancelled', 'rescheduled'],
  attended: [],
  no_show: [],
  cancelled: [],
};

export const canTransition = (from: AppointmentStatus, to: AppointmentStatus) => NEXT[from].includes(to);

export const isBlocking = (status: AppointmentStatus) => status === 'confirmed' || status === 'rescheduled';
