// What every command of the booking core receives from its door, built in one place.
import type { Tenant } from '../accounts/tenants.js';
import type { AppDeps } from '../deps.js';
import type { CatalogSource } from './active-catalog.js';
import type { AppointmentSource } from './appointment-view.js';
import type { IdempotencyRequest } from './command.js';
import { idempotencyFor } from './idempotency-key.js';
import type { AnswerFor, Outcome } from './outcome.js';

/** `O` is what the command can decide: an appointment's outcome, or another command's result. */
export interface CommandContext<O = Outcome> {
  deps: AppDeps;
  tenant: Tenant;
  /** Who acts, for the history: `key:<id>`, `voice:<platform>`, `self_service`, `system:no_show`. */
  actor: string;
  /** The door's source: voice and self-service keep to the booking window, a PMS may not. */
  source: AppointmentSource;
  idempotency?: IdempotencyRequest;
  /** How the door answers an outcome; recorded with the key so a retry replays the same bytes. */
  answer: AnswerFor<O>;
  /** The catalogue the door already holds (a voice session's); absent, the command reads its own. */
  catalog?: CatalogSource;
  /**
   * Set by `recordedAnswer` when the key had no answer yet: the command's first attempt need not look
   * again (the unit's claim still decides; a retry that answered meanwhile is replayed from it).
   */
  keyUnanswered?: boolean;
}

export interface DoorRequest<O = Outcome> {
  deps: AppDeps;
  tenant: Tenant;
  actor: string;
  source: AppointmentSource;
  answer: AnswerFor<O>;
  catalog?: CatalogSource;
  /**
   * The caller's Idempotency-Key, if any. `scope` names the caller that owns the key space (an API
   * key, a voice platform, the booking page), so one caller can neither block nor probe another's
   * keys; `operation` and `input` make the fingerprint that tells a retry from a different request.
   */
  key?: { value: string | undefined; scope: string; operation: string; input: unknown };
}

export async function commandContext<O = Outcome>(door: DoorRequest<O>): Promise<CommandContext<O>> {
  const { key, ...rest } = door;
  return {
    ...rest,
    idempotency:
      key && (await idempotencyFor(key.scope, key.value, key.operation, key.input, door.deps.sha256Hex)),
  };
}
