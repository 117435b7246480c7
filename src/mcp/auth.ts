// Who may use an integration's MCP endpoint: whoever presents the integration's own secret (as a
// Bearer token, X-Agendai-Secret or, from Vapi, X-Vapi-Secret or the header its credential names), or a per-call token our service minted
// when it accepted an OpenAI Realtime SIP call (src/voice/mcp-link.ts). Secrets are compared in
// constant time; a refusal is thrown as invalid_signature, which the door's throttle counts.
import type { IntegrationRow } from '../db/voice.js';
import type { AppDeps } from '../deps.js';
import { secretsEqual } from '../security/signatures.js';
import type { Credentials, Platform } from '../voice/credentials.js';
import { unauthorized } from '../voice/door.js';
import { credentialsOf } from '../voice/integrations.js';
import { readCallToken } from '../voice/mcp-link.js';

type Secrets = { [P in Platform]: (c: Credentials<P>) => (string | undefined)[] };

// The secret the clinic already set for each platform's tool calls. Telnyx keeps only a public key:
// there is nothing secret to present, so its integrations have no MCP access.
const SECRETS: Secrets = {
  vapi: (c) => [c.secret, c.hmacSecret],
  elevenlabs: (c) => [c.toolSecret],
  openai: (c) => [c.toolSecret],
  retell: (c) => [c.apiKey],
  twilio: (c) => [c.authToken],
  telnyx: () => [],
};

/** What the credential binds: a per-call token names its call; the clinic's secret names none. */
export interface McpBinding {
  callId: string | null;
}

// A Vapi Bearer credential may name its own header (`headerName`), and Vapi's MCP tool sends the
// secret there, with or without `Bearer `, exactly as it does to the webhook.
function presented(headers: Headers, headerName: string | undefined): string | null {
  const own = headerName
    ? headers
        .get(headerName)
        ?.trim()
        .replace(/^Bearer\s+/i, '')
    : undefined;
  const bearer = /^Bearer\s+(.+)$/i.exec(headers.get('authorization') ?? '')?.[1];
  return own || (bearer ?? headers.get('x-agendai-secret') ?? headers.get('x-vapi-secret'));
}

export async function authenticate(
  deps: AppDeps,
  integration: IntegrationRow,
  headers: Headers,
): Promise<McpBinding> {
  const platform = integration.platform as Platform;
  const credentials = await credentialsOf(deps, integration);
  const headerName = platform === 'vapi' ? (credentials as Credentials<'vapi'>).headerName : undefined;
  const given = presented(headers, headerName);
  if (!given) throw unauthorized('no secret');
  if (platform === 'openai') {
    const { webhookSecret } = credentials as Credentials<'openai'>;
    const callId = webhookSecret
      ? await readCallToken(webhookSecret, integration.id, given, deps.clock.now())
      : null;
    if (callId) return { callId };
  }
  const secrets = (SECRETS[platform] as (c: unknown) => (string | undefined)[])(credentials).filter(
    (s): s is string => Boolean(s),
  );
  // Every configured secret is compared, so the time taken says nothing about which one matched.
  const matches = await Promise.all(secrets.map((s) => secretsEqual(given, s)));
  if (!matches.includes(true)) throw unauthorized('bad secret');
  return { callId: null };
}
