// The voice door's side of the MCP door (src/mcp): where an integration's MCP endpoint lives, and the
// per-call token our own service hands OpenAI when it accepts a Realtime SIP call, so that the model's
// MCP requests prove which call they belong to (and so whose number it is) without the clinic's secret.
import { fromBase64, toBase64Url, utf8 } from '../security/encoding.js';
import { hmac, verifyHmac } from '../security/signatures.js';

export const MCP_PREFIX = '/v1/voice/mcp';

export const mcpUrlOf = (origin: string, integrationId: string) => `${origin}${MCP_PREFIX}/${integrationId}`;

// Longer than any phone call; the token only ever names one call of one integration.
const CALL_TOKEN_TTL_MS = 6 * 60 * 60_000;
const PREFIX = 'mcpcall';

const signed = (integrationId: string, callId: string, expiresAt: number) =>
  `agendai-mcp-call\n${integrationId}\n${callId}\n${expiresAt}`;

/** A bearer token naming one call of one integration, signed with the integration's webhook secret. */
export async function mintCallToken(
  secret: string,
  integrationId: string,
  callId: string,
  now: number,
): Promise<string> {
  const expiresAt = Math.floor((now + CALL_TOKEN_TTL_MS) / 1000);
  const mac = await hmac(secret, signed(integrationId, callId, expiresAt));
  return `${PREFIX}.${toBase64Url(utf8.encode(callId))}.${expiresAt}.${toBase64Url(mac)}`;
}

const fromBase64Url = (text: string) => {
  try {
    return fromBase64(text);
  } catch {
    return null;
  }
};

/** The call a per-call token names, or null when it is not one, is forged or has expired. */
export async function readCallToken(
  secret: string,
  integrationId: string,
  token: string,
  now: number,
): Promise<string | null> {
  const parts = token.split('.');
  if (parts.length !== 4 || parts[0] !== PREFIX || !/^\d{1,12}$/.test(parts[2]!)) return null;
  const callBytes = fromBase64Url(parts[1]!);
  const mac = fromBase64Url(parts[3]!);
  const expiresAt = Number(parts[2]);
  if (!callBytes || !mac || expiresAt * 1000 < now) return null;
  const callId = new TextDecoder().decode(callBytes);
  return (await verifyHmac(secret, signed(integrationId, callId, expiresAt), mac)) ? callId : null;
}

/** The Realtime `mcp` tool that points a call's model at this integration's MCP endpoint. */
export const realtimeMcpTool = (url: string, token: string) => ({
  type: 'mcp' as const,
  server_label: 'clinic',
  server_description: "The clinic's booking tools: services, free times, and the caller's appointments.",
  server_url: url,
  headers: { Authorization: `Bearer ${token}` },
  require_approval: 'never' as const,
});

/**
 * The tools of a Realtime SIP call our service accepts without a sideband (Workers): this integration's
 * MCP endpoint, reached with a token for this call alone. The public base URL when one is configured,
 * else the origin OpenAI called (a Worker is reached by its own host names).
 */
export async function realtimeCallTools(
  publicBaseUrl: string | undefined,
  requestUrl: string,
  webhookSecret: string,
  integrationId: string,
  callId: string,
  now: number,
) {
  const url = mcpUrlOf(publicBaseUrl ?? new URL(requestUrl).origin, integrationId);
  return [realtimeMcpTool(url, await mintCallToken(webhookSecret, integrationId, callId, now))];
}
