// What each platform needs us to keep to verify its webhooks (and, for OpenAI, to accept calls).
// Stored sealed with AES-GCM: unlike API keys these must be recoverable to check signatures.
import { z } from 'zod';

const secret = (min: number) => z.string().min(min).max(500);
// A secret the clinic makes up and pastes into the platform: at least 32 characters, so that it
// cannot be guessed within the failed-authentication throttle (src/http/auth-throttle.ts).
const chosenSecret = () => secret(32);

export const CREDENTIALS = {
  vapi: z
    .object({
      secret: chosenSecret()
        .optional()
        .describe(
          "The token of Vapi's Bearer credential: sent in Authorization, X-Vapi-Secret or `headerName`, with or without `Bearer `",
        ),
      hmacSecret: chosenSecret().optional().describe("Secret of Vapi's HMAC authentication plan"),
      // Not secrets, but the integration's Vapi settings: kept with the secrets they go with.
      headerName: z
        .string()
        .max(100)
        .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'A header name (letters, digits, -, _)')
        .optional()
        .describe('The header name set on the Vapi credential, if not Authorization'),
      credentialId: z
        .string()
        .max(100)
        .regex(/^[A-Za-z0-9_-]+$/, 'A Vapi credential id')
        .optional()
        .describe('Id of the credential created in Vapi: the exported tools name it as server.credentialId'),
      apiKey: secret(8).optional().describe('Vapi private API key: only to place callbacks (POST /call)'),
    })
    .strict()
    .refine(
      (c) => c.secret || c.hmacSecret,
      'Give secret (bearer / X-Vapi-Secret) or hmacSecret (HMAC plan)',
    ),
  retell: z
    .object({ apiKey: secret(8).describe('The Retell API key: Retell signs webhooks with it') })
    .strict(),
  elevenlabs: z
    .object({
      toolSecret: chosenSecret().describe(
        'Value of the X-Agendai-Secret header configured on each server tool',
      ),
      webhookSecret: secret(8).optional().describe('Post-call webhook HMAC secret'),
    })
    .strict(),
  // The /tools endpoint has a secret of its own: the API key spends the clinic's OpenAI money and the
  // webhook secret proves a message came from OpenAI; neither should be handed to the clinic's middleware.
  openai: z
    .object({
      apiKey: secret(8).describe('OpenAI API key: accepts Realtime SIP calls and opens their sideband'),
      webhookSecret: secret(8)
        .optional()
        .describe('whsec_... of the project webhook for realtime.call.incoming'),
      toolSecret: chosenSecret().optional().describe('Bearer token your code sends to the /tools endpoint'),
      model: z.string().max(100).default('gpt-realtime').describe('Realtime model that answers SIP calls'),
      voice: z.string().max(50).optional().describe("Realtime voice (default: the model's own)"),
      baseURL: z
        .url({ protocol: /^https$/ })
        .optional()
        .describe('Only to point at another OpenAI-compatible endpoint (https; the sideband is wss)'),
    })
    .strict()
    .refine(
      (c) => c.webhookSecret || c.toolSecret,
      'Give webhookSecret (Realtime SIP) or toolSecret (the /tools endpoint)',
    ),
  telnyx: z
    .object({
      publicKey: z.string().min(32).max(200).describe('Account Ed25519 public key (base64)'),
      apiKey: secret(8)
        .optional()
        .describe('Telnyx API key (v2): only to place callbacks (Call Control dial)'),
    })
    .strict(),
  twilio: z
    .object({ authToken: secret(8).describe('Account auth token: Twilio signs its webhooks with it') })
    .strict(),
} as const;

export type Platform = keyof typeof CREDENTIALS;
export const PLATFORMS = Object.keys(CREDENTIALS) as Platform[];
export type Credentials<P extends Platform> = z.infer<(typeof CREDENTIALS)[P]>;
