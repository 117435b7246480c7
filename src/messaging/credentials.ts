// What each message provider needs from a clinic: to send, and to verify the provider's webhooks
// (status callbacks and patients' replies). Sealed with AES-GCM at rest, like voice credentials
// (src/voice/credentials.ts): they must be recoverable, unlike API keys.
import { z } from '@hono/zod-openapi';

export const MESSAGE_CREDENTIALS = {
  twilio: z
    .object({
      accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'A Twilio Account SID (AC + 32 hex digits)'),
      authToken: z
        .string()
        .min(8)
        .max(200)
        .describe('Account auth token: authenticates sends and signs status callbacks and replies'),
    })
    .strict(),
  telnyx: z
    .object({
      apiKey: z.string().min(8).max(500).describe('Telnyx API key (Bearer) used to send'),
      publicKey: z
        .string()
        .min(32)
        .max(200)
        .describe('Account Ed25519 public key (base64): Telnyx signs webhooks with it'),
      messagingProfileId: z.string().max(100).optional(),
    })
    .strict(),
} as const;

export type MessageCredentials = {
  twilio: z.infer<(typeof MESSAGE_CREDENTIALS)['twilio']>;
  telnyx: z.infer<(typeof MESSAGE_CREDENTIALS)['telnyx']>;
};

/** What a sender's sealed credentials are bound to (AES-GCM associated data). */
export const senderSeal = (tenantId: string, senderId: string) => `${tenantId}:sender:${senderId}`;
