// The operator's credential for /admin/v1: `Authorization: Bearer <ADMIN_TOKEN>`. Both sides are
// hashed and the digests compared without an early exit, so the time taken says nothing about how
// much of a guess was right; failures count against the caller's address like a wrong API key.
import { createMiddleware } from 'hono/factory';
import { AppError } from '../domain/errors.js';
import { secretsEqual } from '../security/signatures.js';
import { clientSubject, throttleAuthFailures } from './auth-throttle.js';
import type { AppEnv } from './env.js';

export const adminAuth = createMiddleware<AppEnv>(async (c, next) => {
  const token = c.var.deps.adminToken;
  // createApp mounts the admin door only with a token; without one nothing can match.
  if (!token) throw new AppError('not_found', `No route for ${c.req.method} ${c.req.path}`);
  await throttleAuthFailures(c, clientSubject(c), async () => {
    const header = c.req.header('authorization');
    const match = header ? /^Bearer +(\S+)\s*$/i.exec(header) : null;
    if (!match) {
      throw new AppError(
        'malformed_auth_header',
        'Send the admin token as "Authorization: Bearer <ADMIN_TOKEN>"',
      );
    }
    if (!(await secretsEqual(match[1]!, token))) {
      throw new AppError('invalid_api_key', 'The admin token is wrong');
    }
  });
  await next();
});
