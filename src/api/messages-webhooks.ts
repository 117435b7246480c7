// The providers' door for messages: each sender has its own URL, called by Twilio or Telnyx with its
// own signature (never an API key) for delivery statuses and patients' replies. The body is read
// raw, verified by the sender's provider client, then handled by src/messaging/webhooks.ts.
import { Hono } from 'hono';
import { AppError } from '../domain/errors.js';
import { throttleAuthFailures } from '../http/auth-throttle.js';
import type { AppEnv } from '../http/env.js';
import { limitBody } from '../http/middleware.js';
import { receiveProviderWebhook } from '../messaging/webhooks.js';

export const MESSAGE_WEBHOOK_PREFIX = '/v1/messaging/webhooks';
// An SMS webhook is a few kilobytes.
const MAX_BYTES = 64 * 1024;

export const messageWebhooks = new Hono<AppEnv>()
  .use(`${MESSAGE_WEBHOOK_PREFIX}/*`, limitBody(MAX_BYTES))
  .post(`${MESSAGE_WEBHOOK_PREFIX}/:senderId`, async (c) => {
    const senderId = c.req.param('senderId');
    const raw = await c.req.text();
    // The URL the provider signed: where we told it to call (PUBLIC_BASE_URL), else as it arrived.
    const url = (c.var.deps.publicBaseUrl ?? new URL(c.req.url).origin) + new URL(c.req.url).pathname;
    return throttleAuthFailures(c, `sender:${senderId}`, async () => {
      const outcome = await receiveProviderWebhook(c.var.deps, senderId, {
        url,
        headers: c.req.raw.headers,
        raw,
      });
      if (outcome.kind === 'unknown_sender') throw new AppError('not_found', 'No such webhook');
      if (outcome.kind === 'bad_signature') {
        throw new AppError('invalid_signature', 'Webhook rejected: bad or missing signature');
      }
      // Twilio wants TwiML back (an empty Response sends no reply); Telnyx any 2xx.
      if (outcome.provider === 'twilio') {
        return c.body('<?xml version="1.0" encoding="UTF-8"?><Response/>', 200, {
          'Content-Type': 'text/xml',
        });
      }
      return c.json({}, 200);
    });
  });
