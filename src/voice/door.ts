// What every platform adapter receives and shares: the raw request, the integration, its secrets.

import type { IntegrationRow } from '../db/voice.js';
import type { AppDeps } from '../deps.js';
import { AppError, validationFailed } from '../domain/errors.js';
import { jsonTextDepth, MAX_JSON_DEPTH } from '../domain/json-depth.js';
import type { Platform } from './credentials.js';

export interface WebhookInput {
  deps: AppDeps;
  integration: IntegrationRow;
  /** The body exactly as received: signatures are computed over these bytes, never a re-serialisation. */
  raw: string;
  headers: Headers;
  /** The full URL the platform called (Twilio signs it). */
  url: string;
  /** For per-tool URLs (ElevenLabs server tools). */
  toolName?: string;
}

export interface PlatformAdapter {
  /** Events and tool calls sent to the integration's webhook URL. */
  webhook(input: WebhookInput): Promise<Response>;
  /** Tool calls sent to /tools or /tools/{name} (platforms whose tools post elsewhere). */
  tools?(input: WebhookInput): Promise<Response>;
}

export const unauthorized = (why: string) => new AppError('invalid_signature', `Webhook rejected: ${why}`);

export function parseJson(raw: string): unknown {
  if (jsonTextDepth(raw) > MAX_JSON_DEPTH) {
    throw validationFailed(`The webhook body nests deeper than ${MAX_JSON_DEPTH} levels`, []);
  }
  try {
    return JSON.parse(raw);
  } catch {
    throw new AppError('malformed_payload', 'The webhook body is not valid JSON');
  }
}

export type Adapters = Partial<Record<Platform, PlatformAdapter>>;
