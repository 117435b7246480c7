// The REST door's reading of a domain error: its HTTP status and the Mivicall envelope
// {error, message, requestId, errors[]}. Every layer throws AppError (src/domain/errors.ts); only
// doors that speak HTTP look here.
import type { AppError, ErrorCode, FieldError } from '../domain/errors.js';

const statusByCode = {
  malformed_request: 400,
  request_timeout: 408,
  headers_too_large: 431,
  malformed_payload: 400,
  invalid_idempotency_key: 400,
  invalid_api_key: 401,
  expired_api_key: 401,
  malformed_auth_header: 401,
  invalid_signature: 401,
  insufficient_scope: 403,
  tenant_inactive: 403,
  tenant_mismatch: 403,
  not_found: 404,
  appointment_not_found: 404,
  professional_not_found: 404,
  service_not_found: 404,
  patient_not_found: 404,
  api_key_not_found: 404,
  exception_not_found: 404,
  integration_not_found: 404,
  call_not_found: 404,
  webhook_not_found: 404,
  recording_not_found: 404,
  tenant_not_provisioned: 404,
  slot_conflict: 409,
  invalid_transition: 409,
  slug_taken: 409,
  external_id_taken: 409,
  idempotency_key_in_use: 409,
  webhook_endpoint_limit: 409,
  concurrent_modification: 409,
  caller_number_unavailable: 409,
  callback_not_configured: 409,
  triage_not_configured: 409,
  messages_not_enabled: 409,
  appointment_not_upcoming: 409,
  already_answered: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_failed: 422,
  professional_inactive: 422,
  service_inactive: 422,
  professional_not_qualified: 422,
  outside_working_hours: 422,
  insufficient_notice: 422,
  beyond_booking_horizon: 422,
  booking_limit_reached: 422,
  idempotency_key_reused: 422,
  rate_limit_exceeded: 429,
  internal_error: 500,
  link_expired: 410,
  platform_error: 502,
} as const satisfies Record<ErrorCode, number>;

export type ErrorStatus = (typeof statusByCode)[ErrorCode];

export const statusOf = (code: ErrorCode): ErrorStatus => statusByCode[code];

export interface ErrorBody {
  error: ErrorCode;
  message: string;
  requestId: string;
  errors: FieldError[];
  /** Seconds to wait before retrying, when waiting can help (as in Retry-After; Mivicall's 429 has it). */
  retryAfter?: number;
}

export const errorBody = (error: AppError, requestId: string): ErrorBody => ({
  error: error.code,
  message: error.message,
  requestId,
  errors: error.errors,
  ...(error.retryAfterSeconds === undefined ? {} : { retryAfter: error.retryAfterSeconds }),
});
