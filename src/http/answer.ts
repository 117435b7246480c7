// The REST door's answers to booking-core outcomes: the Mivicall shapes and statuses, rendered once
// and sent as the exact bytes the core recorded with the Idempotency-Key (replayed or fresh).
import type { Context, TypedResponse } from 'hono';
import type { JSONParsed } from 'hono/utils/types';
import type { AppointmentView } from '../booking/appointment-view.js';
import type { CommandResult } from '../booking/command.js';
import type { AnswerFor, DoorAnswer } from '../booking/outcome.js';
import type { AppError } from '../domain/errors.js';
import { errorBody, statusOf } from './errors.js';

export const appointmentLocation = (id: string) => `/v1/appointments/${id}`;

/** What a successful write answers: 201 with the new appointment, 200 with it, or 204 (DELETE). */
export type RestSuccess = 201 | 200 | 204;

/** A refusal as every HTTP door answers it: the code's status and the Mivicall envelope. */
export const refusalAnswer = (refusal: AppError, requestId: string): DoorAnswer => ({
  status: statusOf(refusal.code),
  body: JSON.stringify(errorBody(refusal, requestId)),
  location: null,
});

export const restAnswer =
  (requestId: string, success: RestSuccess): AnswerFor =>
  (outcome) => {
    if (outcome.kind === 'refused') return refusalAnswer(outcome.refusal, requestId);
    if (success === 204) return { status: 204, body: '', location: null };
    return {
      status: success,
      body: JSON.stringify(outcome.appointment),
      location: appointmentLocation(outcome.appointment.id),
    };
  };

/** The typed response of a write route whose outcomes restAnswer(…, success) rendered. */
export type SentAnswer<S extends RestSuccess> = Response &
  (S extends 204
    ? TypedResponse<Record<string, never>, 204, string>
    : TypedResponse<JSONParsed<AppointmentView>, S, 'json'>);

function recordedResponse(c: Context, { answer, replayed }: CommandResult): Response {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (answer.location) headers.Location = answer.location;
  if (replayed) headers['Idempotent-Replayed'] = 'true';
  return answer.status === 204
    ? c.body(null, 204, headers)
    : c.body(answer.body, answer.status as 200, headers);
}

/**
 * Sends the recorded bytes. They are not re-serialised (a replay must be byte-identical), so the
 * route's typed response is asserted here, once: restAnswer is the only writer of these bytes, and it
 * writes the appointment's JSON for `success` or the error envelope the route also declares.
 */
export function sendAnswer<S extends RestSuccess>(
  c: Context,
  result: CommandResult,
  _success: S,
): SentAnswer<S> {
  return recordedResponse(c, result) as unknown as SentAnswer<S>;
}

/** The same for a command whose door renders `T` as JSON with `S` (200 unless said; the route declares both). */
export function sendRecorded<T, S extends 200 | 202 = 200>(
  c: Context,
  result: CommandResult,
): Response & TypedResponse<JSONParsed<T>, S, 'json'> {
  return recordedResponse(c, result) as unknown as Response & TypedResponse<JSONParsed<T>, S, 'json'>;
}
