// The voice door's public endpoints: each integration has its own URL, authenticated by the
// platform's signature or secret (not an API key). The body is read raw, verified, then parsed.
import { type Context, Hono } from 'hono';
import { findIntegration } from '../db/voice.js';
import { AppError } from '../domain/errors.js';
import { afterAnswer } from '../http/after-answer.js';
import { throttleAuthFailures } from '../http/auth-throttle.js';
import type { AppEnv } from '../http/env.js';
import { limitBody } from '../http/middleware.js';
import type { Platform } from './credentials.js';
import type { Adapters, WebhookInput } from './door.js';
import { elevenlabs } from './platforms/elevenlabs.js';
import { openai } from './platforms/openai.js';
import { retell } from './platforms/retell.js';
import { telnyx } from './platforms/telnyx.js';
import { twilio } from './platforms/twilio.js';
import { vapi } from './platforms/vapi.js';

export const WEBHOOK_PREFIX = '/v1/voice/webhooks';

// A new platform's adapter lives in src/voice/platforms/ and is added here; nothing changes it at run time.
const adapters: Readonly<Adapters> = { vapi, retell, elevenlabs, openai, telnyx, twilio };

// End-of-call reports carry whole transcripts; 1 MiB is far above any we have seen.
export const MAX_WEBHOOK_BYTES = 1024 * 1024;

async function inputOf(c: Context<AppEnv>, toolName?: string): Promise<WebhookInput> {
  const integration = await findIntegration(c.var.deps.store.db, c.req.param('integrationId') ?? '');
  if (!integration?.active) throw new AppError('not_found', 'No such webhook');
  // Bounded while streaming by limitBody below: a larger body is refused before it is buffered.
  const raw = await c.req.text();
  // The call log is written after the platform's answer (src/voice/call-log.ts): this request's deps
  // say where that work goes.
  const deps = { ...c.var.deps, afterAnswer: (work: () => Promise<void>) => afterAnswer(c, work) };
  return { deps, integration, raw, headers: c.req.raw.headers, url: c.req.url, toolName };
}

const adapterFor = (platform: string) => {
  const adapter = adapters[platform as Platform];
  if (!adapter) throw new AppError('not_found', 'This platform has no webhook here');
  return adapter;
};

export const voiceWebhooks = new Hono<AppEnv>()
  .use(`${WEBHOOK_PREFIX}/*`, limitBody(MAX_WEBHOOK_BYTES))
  .post(`${WEBHOOK_PREFIX}/:integrationId`, async (c) => {
    const input = await inputOf(c);
    const adapter = adapterFor(input.integration.platform);
    return throttleAuthFailures(c, `integration:${input.integration.id}`, () => adapter.webhook(input));
  })
  .post(`${WEBHOOK_PREFIX}/:integrationId/tools/:toolName?`, async (c) => {
    const input = await inputOf(c, c.req.param('toolName'));
    const adapter = adapterFor(input.integration.platform);
    const tools = adapter.tools;
    if (!tools) throw new AppError('not_found', 'This platform sends tool calls to its webhook URL');
    return throttleAuthFailures(c, `integration:${input.integration.id}`, () => tools(input));
  });
