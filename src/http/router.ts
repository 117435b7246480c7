// Every door's routes are built with this: zod-openapi routes whose validation failures become
// the Mivicall 422 envelope instead of zod's default response.
import { OpenAPIHono } from '@hono/zod-openapi';
import type { ZodError } from 'zod';
import { validationFailed } from '../domain/errors.js';
import type { AppEnv } from './env.js';

export function validationError(error: ZodError, target?: string) {
  const errors = error.issues.map((issue) => ({
    path: issue.path.length ? issue.path.map(String).join('.') : (target ?? 'body'),
    // zod says "Invalid input: expected string, received undefined" for a missing field.
    message:
      issue.code === 'invalid_type' && /received undefined$/.test(issue.message) ? 'Required' : issue.message,
  }));
  const first = errors[0];
  const summary = first ? `${first.path}: ${first.message}` : 'Invalid request';
  return validationFailed(errors.length > 1 ? `${summary} (and ${errors.length - 1} more)` : summary, errors);
}

export const createRouter = () =>
  new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error as ZodError, result.target);
    },
  });
