// Headers a middleware adds to the answer after the handler made it (the request id, the rate limits).
import type { Context } from 'hono';

/**
 * Sets a header on the answer already made, in place: Hono's `c.header` copies the whole answer for
 * each header once a handler has answered (four copies per request here), and each copy lost
 * @hono/node-server's fast path for writing it. An answer whose headers cannot change (one fetched
 * from elsewhere) still goes through `c.header`.
 */
export function setAnswerHeader(c: Context, name: string, value: string) {
  try {
    c.res.headers.set(name, value);
  } catch {
    c.header(name, value);
  }
}
