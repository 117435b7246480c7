// The one error type every layer may throw: a stable code from the Mivicall vocabulary, a message a
// person can act on, and the fields at fault. It knows nothing of HTTP: each door decides what a code
// means to its caller (the REST door maps it to a status in src/http/errors.ts, the voice door to a
// sentence, the booking page to its own JSON).
export interface FieldError {
  path: string;
  message: string;
}

export const ERROR_CODES = [
  // Refused by the HTTP server before any route runs (broken request line, slow or oversized head).
  'malformed_request',
  'request_timeout',
  'headers_too_large',
  'malformed_payload',
  'invalid_idempotency_key',
  'invalid_api_key',
  'expired_api_key',
  'malformed_auth_header',
  'invalid_signature',
  'insufficient_scope',
  'tenant_inactive',
  // A tenant header (Voki's X-Tenant) that names another clinic than the API key's.
  'tenant_mismatch',
  'not_found',
  'appointment_not_found',
  'professional_not_found',
  'service_not_found',
  'patient_not_found',
  'api_key_not_found',
  'exception_not_found',
  'integration_not_found',
  'call_not_found',
  'webhook_not_found',
  'recording_not_found',
  'tenant_not_provisioned',
  'slot_conflict',
  'invalid_transition',
  'slug_taken',
  'external_id_taken',
  'idempotency_key_in_use',
  'webhook_endpoint_limit',
  'concurrent_modification',
  // A callback cannot be placed: the caller's number is gone (withheld, past retention) or the
  // integration has no outbound set-up.
  'caller_number_unavailable',
  'callback_not_configured',
  'payload_too_large',
  'unsupported_media_type',
  'validation_failed',
  'professional_inactive',
  'service_inactive',
  'professional_not_qualified',
  'outside_working_hours',
  'insufficient_notice',
  'beyond_booking_horizon',
  'booking_limit_reached',
  'idempotency_key_reused',
  'rate_limit_exceeded',
  'internal_error',
  // A signed link past its time (GET /v1/calls/{id}/recording gives a new one).
  'link_expired',
  // Triage and feedback (src/booking/triage.ts, feedback.ts): the service asks no questions, the clinic
  // sends no messages, the visit is over or cancelled, or the patient already answered.
  'triage_not_configured',
  'messages_not_enabled',
  'appointment_not_upcoming',
  'already_answered',
  // The voice platform refused or failed a request made on the clinic's behalf (an outbound call).
  'platform_error',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors: FieldError[] = [],
    /** When retrying later can succeed (a busy appointment, a rate limit): after how many seconds. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/**
 * An AppError that is an outcome rather than a throw (a refusal decided inside a write): built without
 * a stack, which nobody reads and whose capture cost ~2% of a booking, since a command under an
 * Idempotency-Key renders every possible outcome before its unit runs.
 */
export function refusalError(code: ErrorCode, message: string, errors: FieldError[] = []): AppError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new AppError(code, message, errors);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

export const validationFailed = (message: string, errors: FieldError[]) =>
  new AppError('validation_failed', message, errors);

export const fieldInvalid = (path: string, message: string) =>
  validationFailed(`${path}: ${message}`, [{ path, message }]);

/** What a thrown value says, for a log line: an Error's message, anything else as text. */
export const errorMessage = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);
