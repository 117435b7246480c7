// What a booking-core command decided, in the clinic's terms. Doors turn an outcome into their own
// answer (an HTTP response, a spoken sentence, the booking page's JSON); the core never does.
import type { AppointmentRow } from '../db/appointments.js';
import type { AppError } from '../domain/errors.js';
import type { AppointmentView } from './appointment-view.js';

export interface Named {
  id: string;
  name: string;
}

/**
 * `appointment` is the Mivicall view (what REST and webhooks show); `record` the stored appointment,
 * with its instants as numbers, for doors that speak about it (no door re-parses a rendered time).
 */
export type Outcome =
  /** A new appointment, with who sees the patient and for what (so no door has to look them up). */
  | {
      kind: 'booked';
      appointment: AppointmentView;
      record: AppointmentRow;
      professional: Named;
      service: Named;
    }
  /** The appointment after a change; also when nothing needed to change (a repeated cancel). */
  | { kind: 'changed'; appointment: AppointmentView; record: AppointmentRow }
  /** Refused by a rule decided inside the write (the slot was taken, the status cannot move). */
  | { kind: 'refused'; refusal: AppError };

/**
 * A door's answer to an outcome, exactly as it goes out. With an Idempotency-Key it is stored in the
 * command's own atomic unit and a retry gets these bytes back (docs/invariants.md, I-5 and I-6).
 * `status` and `location` mean what the door says they mean (HTTP status and Location for REST).
 */
export interface DoorAnswer {
  status: number;
  body: string;
  location: string | null;
}

export type AnswerFor<O = Outcome> = (outcome: O) => DoorAnswer | Promise<DoorAnswer>;
