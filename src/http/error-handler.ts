// The one place an error becomes an HTTP answer in the Mivicall envelope {error, message, requestId,
// errors[]} (plus retryAfter when waiting helps). Routes and middleware answer through
// respondWithError; the Worker's start-up failure and Node's raw-socket refusals, which run outside
// any route, use errorAnswer directly. Unknown errors are logged with the request id and answered 500
// without internals.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { AppError } from '../domain/errors.js';
import type { AppEnv } from './env.js';
import { type ErrorStatus, errorBody, statusOf } from './errors.js';

export interface ErrorAnswer {
  status: ErrorStatus;
  headers: Record<string, string>;
  body: string;
}

/** Status, headers and JSON text of the answer to an error: pure, so a raw socket can send it too. */
export function errorAnswer(error: AppError, requestId: string): ErrorAnswer {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'X-Request-Id': requestId,
  };
  if (error.retryAfterSeconds !== undefined) headers['Retry-After'] = String(error.retryAfterSeconds);
  return { status: statusOf(error.code), headers, body: JSON.stringify(errorBody(error, requestId)) };
}

/** The answer as a fetch Response, for code that runs before the app exists (the Worker's start-up). */
export function errorResponse(error: AppError, requestId: string): Response {
  const { status, headers, body } = errorAnswer(error, requestId);
  return new Response(body, { status, headers });
}

function fromHttpException(error: HTTPException): AppError {
  switch (error.status) {
    case 400:
      return new AppError('malformed_payload', 'The request body is not valid JSON');
    case 413:
      return new AppError('payload_too_large', 'The request body is larger than 64 KiB');
    case 415:
      return new AppError('unsupported_media_type', 'Send the body as application/json');
    case 404:
      return new AppError('not_found', 'No such route');
    case 401:
      return new AppError('invalid_api_key', error.message || 'Unauthorized');
    default:
      return new AppError('internal_error', 'Unexpected error');
  }
}

export function respondWithError(c: Context<AppEnv>, error: AppError) {
  const { status, headers, body } = errorAnswer(error, c.get('requestId') ?? crypto.randomUUID());
  return c.body(body, status, headers);
}

export function handleError(err: Error, c: Context<AppEnv>) {
  if (err instanceof AppError) return respondWithError(c, err);
  if (err instanceof HTTPException) return respondWithError(c, fromHttpException(err));
  c.var.deps?.logger.error('unhandled_error', {
    requestId: c.get('requestId'),
    route: c.req.routePath,
    error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
    stack: err instanceof Error ? err.stack : undefined,
  });
  return respondWithError(
    c,
    new AppError('internal_error', 'Unexpected error; quote the requestId to support'),
  );
}

export const handleNotFound = (c: Context<AppEnv>) =>
  respondWithError(c, new AppError('not_found', `No route for ${c.req.method} ${c.req.path}`));
