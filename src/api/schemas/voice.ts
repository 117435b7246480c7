// Voice integrations: what a clinic sends to connect a platform, and what it gets back. Each
// platform's credentials are their own documented schema (the rules live in src/voice/credentials.ts);
// the create body is a union discriminated by `platform`, so a client knows which secrets to send.
import { z } from '@hono/zod-openapi';
import { CREDENTIALS, PLATFORMS, type Platform } from '../../voice/credentials.js';
import { TOOL_FORMATS } from '../../voice/definitions.js';
import { DIAL_PLATFORMS, OUTBOUND } from '../../voice/outbound/config.js';
import { text } from './common.js';

export const IntegrationSchema = z
  .object({
    id: z.string(),
    platform: z.enum(PLATFORMS),
    name: z.string().nullable(),
    phoneNumbers: z.array(z.string()),
    active: z.boolean(),
    webhookUrl: z.string().openapi({ description: 'Give this URL to the platform (server URL / webhook)' }),
    toolsUrl: z
      .string()
      .openapi({ description: 'Tool calls for platforms that post them elsewhere (ElevenLabs, OpenAI)' }),
    mcpUrl: z.string().openapi({
      description:
        "The clinic's tools as one MCP server (Streamable HTTP): give it to any MCP-capable agent with " +
        "the integration's secret as a Bearer token",
    }),
    credentialFields: z
      .array(z.string())
      .openapi({ description: 'Which secrets are set (never their values)' }),
    outbound: z
      .record(z.string(), z.unknown())
      .nullable()
      .openapi({ description: 'Callback settings (POST /v1/calls/{id}/callback); null when not set up' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('VoiceIntegration');

export const IntegrationListSchema = z.object({ items: z.array(IntegrationSchema) });

const credentialDocs = {
  vapi: [
    'VapiCredentials',
    'Vapi: `secret` (a Bearer credential token) or `hmacSecret` (HMAC plan); `headerName` and `credentialId` as set in Vapi',
  ],
  retell: ['RetellCredentials', 'Retell: the API key it signs webhooks with'],
  elevenlabs: ['ElevenLabsCredentials', 'ElevenLabs: the server tools secret, and the post-call one'],
  openai: [
    'OpenAICredentials',
    'OpenAI: the API key, and `webhookSecret` (Realtime SIP) or `toolSecret` (the /tools endpoint)',
  ],
  telnyx: ['TelnyxCredentials', "Telnyx: the account's Ed25519 public key"],
  twilio: ['TwilioCredentials', "Twilio: the account's auth token, which signs its webhooks"],
} as const satisfies Record<Platform, readonly [string, string]>;

const credentials = <P extends Platform>(platform: P) => {
  const [name, description] = credentialDocs[platform];
  return CREDENTIALS[platform].openapi(name, { description });
};

const outboundDocs = {
  vapi: ['VapiOutbound', 'Vapi callbacks: the assistant and the phone number id (plus credentials.apiKey)'],
  retell: [
    'RetellOutbound',
    'Retell callbacks: your Retell number and optionally an agent (credentials.apiKey)',
  ],
  twilio: ['TwilioOutbound', 'Twilio callbacks: account SID, your number and your TwiML app URL (authToken)'],
  telnyx: [
    'TelnyxOutbound',
    'Telnyx callbacks: the Call Control connection and your number (credentials.apiKey)',
  ],
} as const;

const outbound = (platform: Platform) => {
  const dial = (DIAL_PLATFORMS as string[]).includes(platform) ? (platform as keyof typeof OUTBOUND) : null;
  if (!dial) return {};
  const [name, description] = outboundDocs[dial];
  return { outbound: OUTBOUND[dial].openapi(name, { description }).optional() };
};

const integrationName = text(200).nullable().optional();
const phoneNumbers = z
  .array(z.string())
  .max(50)
  .optional()
  .openapi({ description: "The clinic's numbers on this platform" });

const createFor = <P extends Platform>(platform: P, component: string) =>
  z
    .object({
      platform: z.literal(platform),
      name: integrationName,
      credentials: credentials(platform),
      phoneNumbers,
      ...outbound(platform),
    })
    .strict()
    .openapi(component);

export const IntegrationCreateSchema = z
  .discriminatedUnion('platform', [
    createFor('vapi', 'VoiceIntegrationCreateVapi'),
    createFor('retell', 'VoiceIntegrationCreateRetell'),
    createFor('elevenlabs', 'VoiceIntegrationCreateElevenLabs'),
    createFor('openai', 'VoiceIntegrationCreateOpenAI'),
    createFor('telnyx', 'VoiceIntegrationCreateTelnyx'),
    createFor('twilio', 'VoiceIntegrationCreateTwilio'),
  ])
  .openapi('VoiceIntegrationCreate');

export const IntegrationPatchSchema = z
  .object({
    name: integrationName,
    credentials: z
      .union(PLATFORMS.map(credentials))
      .optional()
      .openapi({ description: "New credentials, in the integration's own platform's shape (all of them)" }),
    phoneNumbers: z.array(z.string()).max(50).optional(),
    active: z.boolean().optional(),
    outbound: z
      .union(DIAL_PLATFORMS.map((p) => OUTBOUND[p].openapi(outboundDocs[p][0])))
      .nullable()
      .optional()
      .openapi({ description: "Callback settings in the integration's platform's shape; null removes them" }),
  })
  .strict()
  .openapi('VoiceIntegrationPatch');

export const ToolsQuery = z.object({
  format: z.enum(TOOL_FORMATS).default('openai'),
  integrationId: z.string().optional().openapi({ description: 'Whose URLs to put in the definitions' }),
});

export const ToolsSchema = z.object({ format: z.string(), tools: z.array(z.unknown()) });
