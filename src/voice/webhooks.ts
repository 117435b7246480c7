// The voice door's public endpoints: each integration has its own URL, authenticated by the
// platform's signature or secret (not an API key). The body is read raw, verified, then parsed.
import { type Context, Hono } from 'hono';
import { findIntegration } from '../db/voice.js';
import type { AppEnv } from '../http/env.js';
import { AppError } from '../domain/errors.js';
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

const MAX_WEBHOOK_BYTES = 1024 * 1024;

async function inputOf(c: Context<AppEnv>, toolName?: string): Promise<WebhookInput> {
  const integration = await findIntegration(c.var.deps.store.db, c.req.param('integrationId') ?? '');
  if (!integration?.active) throw new AppError('not_found', 'No such webhook');
  const length = Number(c.req.header('content-length') ?? 0);
  if (length > MAX_WEBHOOK_BYTES) throw new AppError('payload_too_large', 'Webhook body too large');
  const raw = await c.req.text();
  if (raw.length > MAX_WEBHOOK_BYTES) throw new AppError('payload_too_large', 'Webhook body too large');
  return { deps: c.var.deps, integration, raw, headers: c.req.raw.headers, url: c.req.url, toolName };
}

const adapterFor = (platform: string) => {
  const adapter = adapters[platform as Platform];
  if (!adapter) throw new AppError('not_found', 'This platform has no webhook here');
  return adapter;
};

export const voiceWebhooks = new Hono<AppEnv>()
  .post(`${WEBHOOK_PREFIX}/:integrationId`, async (c) => {
    const input = await inputOf(c);
    return adapterFor(input.integration.platform).webhook(input);
  })
  .post(`${WEBHOOK_PREFIX}/:integrationId/tools/:toolName?`, async (c) => {
    const input = await inputOf(c, c.req.param('toolName'));
    const adapter = adapterFor(input.integration.platform);
    if (!adapter.tools) throw new AppError('not_found', 'This platform sends tool calls to its webhook URL');
    return adapter.tools(input);
  });
