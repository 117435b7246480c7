// Maps every failure to the Mivicall envelope {error, message, requestId, errors[]}. Unknown errors
// are logged with the request id and answered 500 without internals.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from './env.js';
import { AppError } from '../domain/errors.js';
import { errorBody, statusOf } from './errors.js';

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
  const requestId = c.get('requestId') ?? crypto.randomUUID();
  if (error.retryAfterSeconds !== undefined) c.header('Retry-After', String(error.retryAfterSeconds));
  return c.json(errorBody(error, requestId), statusOf(error.code));
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
