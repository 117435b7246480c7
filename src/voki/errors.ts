// Errors as Voki (a Phoenix/Ecto API) answers them: 422 `{"errors": {"field": ["message"]}}`, every
// other status `{"errors": {"detail": "…"}}` (404: "Not Found"). The core's codes and field names are
// translated here; the statuses stay those of src/http/errors.ts, except that an unknown id named in a
// body or query is a field error (422), as Ecto reports a missing association.
import { createMiddleware } from 'hono/factory';
import type { DoorAnswer } from '../booking/outcome.js';
import { ERROR_CODES, type ErrorCode, type FieldError } from '../domain/errors.js';
import type { AppEnv } from '../http/env.js';
import { statusOf } from '../http/errors.js';

/** The core's (and the REST door's) field names → Voki's. */
const FIELD_NAMES: Record<string, string> = {
  patientPhone: 'customer_phone',
  patientName: 'customer_name',
  patientEmail: 'customer_email',
  patientNotes: 'notes',
  startsAt: 'scheduled_at',
  professionalId: 'user_id',
  serviceTypeId: 'department_id',
  durationMinutes: 'duration_minutes',
  cancellationReason: 'reason',
};

/** A refusal without a field names the field it is about. */
const FIELD_OF_CODE: Partial<Record<ErrorCode, string>> = {
  outside_working_hours: 'scheduled_at',
  insufficient_notice: 'scheduled_at',
  beyond_booking_horizon: 'scheduled_at',
  professional_inactive: 'user_id',
  professional_not_qualified: 'user_id',
  service_inactive: 'department_id',
  booking_limit_reached: 'customer_phone',
  idempotency_key_reused: 'idempotency_key',
};

/** Ids named in a body or query that do not exist (in this clinic): a field error, not a 404. */
const MISSING_REFERENCE: Partial<Record<ErrorCode, string>> = {
  professional_not_found: 'user_id',
  service_not_found: 'department_id',
  patient_not_found: 'customer_id',
};

export interface VokiErrorBody {
  errors: Record<string, string | string[]>;
}

/** A whole-input error (e.g. an array where an object belongs) is about no field: Ecto's `base`. */
const WHOLE_INPUT = ['json', 'body', 'query', 'param', 'header'];

const fieldName = (path: string) => {
  if (WHOLE_INPUT.includes(path)) return 'base';
  const last = path.replace(/^(appointment|body|json|query)\./, '');
  return FIELD_NAMES[last] ?? last;
};

const message = (text: string) => (text === 'Required' ? "can't be blank" : text);

export function vokiError(error: { code: ErrorCode; message: string; errors: FieldError[] }): {
  status: number;
  body: VokiErrorBody;
} {
  const reference = MISSING_REFERENCE[error.code];
  if (reference) return { status: 422, body: { errors: { [reference]: ['does not exist'] } } };
  const status = statusOf(error.code);
  if (status === 404) return { status, body: { errors: { detail: 'Not Found' } } };
  if (status !== 422) return { status, body: { errors: { detail: error.message } } };
  const errors: Record<string, string[]> = {};
  for (const e of error.errors) {
    const field = fieldName(e.path);
    const list = errors[field] ?? [];
    list.push(message(e.message));
    errors[field] = list;
  }
  if (Object.keys(errors).length === 0) errors[FIELD_OF_CODE[error.code] ?? 'base'] = [error.message];
  return { status, body: { errors } };
}

/** A refusal decided by the core, as the bytes recorded with an Idempotency-Key. */
export function vokiRefusal(error: { code: ErrorCode; message: string; errors: FieldError[] }): DoorAnswer {
  const { status, body } = vokiError(error);
  return { status, body: JSON.stringify(body), location: null };
}

const isEnvelope = (body: unknown): body is { error: ErrorCode; message: string; errors: FieldError[] } =>
  typeof body === 'object' &&
  body !== null &&
  typeof (body as { requestId?: unknown }).requestId === 'string' &&
  (ERROR_CODES as readonly unknown[]).includes((body as { error?: unknown }).error);

/**
 * The first guard of the door: whatever answered below it with the shared error envelope (auth, the
 * rate limit, validation, a refusal thrown by the core, the app's error handler) is re-said in Voki's
 * words. Headers (X-Request-Id, Retry-After, CORS) are kept.
 */
export const vokiErrors = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  const res = c.res;
  if (res.status < 400 || !res.headers.get('content-type')?.includes('application/json')) return;
  const body: unknown = await res
    .clone()
    .json()
    .catch(() => null);
  if (!isEnvelope(body)) return;
  const { status, body: voki } = vokiError({
    code: body.error,
    message: body.message,
    errors: Array.isArray(body.errors) ? body.errors : [],
  });
  const headers = new Headers(res.headers);
  headers.delete('content-length');
  c.res = undefined;
  c.res = new Response(JSON.stringify(voki), { status, headers });
});
