// Middleware the doors mount: request id + access log (every request), the JSON body guard (REST
// door and booking page), API-key auth and scopes (REST door; see rest-door.ts).

import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { authenticate } from '../accounts/api-keys.js';
import { grants, type Scope } from '../accounts/scopes.js';
import type { AppDeps } from '../deps.js';
import { AppError, validationFailed } from '../domain/errors.js';
import { jsonTextDepth, MAX_JSON_DEPTH } from '../domain/json-depth.js';
import { afterAnswer } from './after-answer.js';
import { setAnswerHeader } from './answer-headers.js';
import { clientSubject, throttleAuthFailures } from './auth-throttle.js';
import type { AppEnv } from './env.js';

export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Refuses a body larger than `maxBytes` while it streams in (chunked bodies included), before any
 * handler buffers it: 413 payload_too_large. Every door bounds its body with this.
 */
export const limitBody = (maxBytes: number) => {
  const tooLarge = () => {
    throw new AppError('payload_too_large', `The request body is larger than ${maxBytes} bytes`);
  };
  const streamed = bodyLimit({ maxSize: maxBytes, onError: tooLarge });
  return createMiddleware(async (c, next) => {
    // A body of a declared length (no chunks) is judged by that length, as Hono's bodyLimit does (the
    // HTTP parser hands on no byte past it), without asking for `c.req.raw.body`: that turns
    // @hono/node-server's light request into a full fetch Request, and a body stream, on every
    // request (6% of a booking's request thread), where reading the text straight from Node is enough.
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined)
      return Number.parseInt(length, 10) > maxBytes ? tooLarge() : next();
    return streamed(c, next);
  });
};

const jsonBodyLimit = limitBody(MAX_BODY_BYTES);

/** Gives every request an id (echoed as X-Request-Id) and logs one line without query or body. */
export const requestContext = (deps: AppDeps) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const requestId = crypto.randomUUID();
    c.set('deps', deps);
    c.set('requestId', requestId);
    const started = performance.now();
    await next();
    setAnswerHeader(c, 'X-Request-Id', requestId);
    deps.logger.info('request', {
      requestId,
      method: c.req.method,
      // The route template, never the raw URL: query strings may carry a patient's phone.
      route: c.req.routePath,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
      keyId: c.get('credential')?.keyId,
    });
  });

const JSON_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i;

/** Write requests that carry a body must send JSON, at most 64 KiB and MAX_JSON_DEPTH levels deep. */
export const jsonBodyGuard = createMiddleware<AppEnv>(async (c, next) => {
  const method = c.req.method;
  if (method !== 'POST' && method !== 'PATCH' && method !== 'PUT') return next();
  const length = c.req.header('content-length');
  const hasBody = (length !== undefined && length !== '0') || c.req.header('transfer-encoding') !== undefined;
  const type = c.req.header('content-type');
  if (hasBody && !(type && JSON_TYPE.test(type))) {
    throw new AppError('unsupported_media_type', 'Send the body as application/json');
  }
  return jsonBodyLimit(c, async () => {
    // Checked on the text, before any recursive walk of the parsed value can overflow the stack.
    if (hasBody && jsonTextDepth(await c.req.text()) > MAX_JSON_DEPTH) {
      throw validationFailed(`The body nests deeper than ${MAX_JSON_DEPTH} levels`, []);
    }
    await next();
  });
});

/** Resolves the API key to its clinic; every later query is scoped to that tenant. */
export const apiKeyAuth = createMiddleware<AppEnv>(async (c, next) => {
  const { store, clock, sha256Hex } = c.var.deps;
  const { credential, touch } = await throttleAuthFailures(c, clientSubject(c), () =>
    authenticate(store.db, c.req.header('authorization'), clock.now(), sha256Hex),
  );
  c.set('credential', credential);
  await next();
  if (touch) afterAnswer(c, touch);
});

export const requireScope = (scope: Scope) =>
  createMiddleware<AppEnv>(async (c, next) => {
    if (!grants(c.var.credential.scopes, scope)) {
      throw new AppError('insufficient_scope', `This API key lacks the "${scope}" scope`);
    }
    await next();
  });
