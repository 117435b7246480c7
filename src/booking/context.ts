// What every command of the booking core receives from its door.
import type { Tenant } from '../accounts/tenants.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../domain/errors.js';
import { errorBody, statusOf } from '../http/errors.js';
import type { AppointmentSource } from './appointment-view.js';
import type { Answer, IdempotencyRequest } from './command.js';

export interface CommandContext {
  deps: AppDeps;
  tenant: Tenant;
  /** Who acts, for the history: `key:<id>`, `voice:<platform>`, `self_service`, `system:no_show`. */
  actor: string;
  requestId: string;
  idempotency?: IdempotencyRequest;
  /** The door's source: voice and self-service keep to the booking window, a PMS may not. */
  channel: AppointmentSource;
}

/** A deterministic business error, stored and replayed like a success (I-5). */
export const errorAnswer = (ctx: CommandContext, error: AppError): Answer => ({
  status: statusOf(error.code),
  body: JSON.stringify(errorBody(error, ctx.requestId)),
  location: null,
});

export const slotConflict = (ctx: CommandContext) =>
  errorAnswer(ctx, new AppError('slot_conflict', 'The professional already has an appointment at that time'));
