// Which call an MCP tool call belongs to, and whose number it is. Each platform attaches what it can:
// - a per-call token (OpenAI Realtime SIP accepted by our service) names the call we already recorded;
// - Vapi sends X-Call-Id, the id of the call it also reports to the integration's webhook URL;
// - ElevenLabs (and any client) can send X-Agendai-Call-Id / X-Agendai-Caller headers filled from
//   its dynamic variables (system__conversation_id, system__caller_id);
// - a client can put the same in the request's _meta (agendai/callId, agendai/caller).
// A call recorded with a caller keeps that caller: the number the platform reported wins over any
// header. Without any number the tools ask for one, as the webhook tools do.
import type { IntegrationRow } from '../db/voice.js';
import type { AppDeps } from '../deps.js';
import { sha256Hex } from '../security/encoding.js';
import { callerContext, openSession, type VoiceSession } from '../voice/session.js';
import type { McpBinding } from './auth.js';

export type Meta = Record<string, unknown> | undefined;

const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);
// Platform ids are short; anything longer is not one.
const id = (v: unknown) => {
  const t = text(v);
  return t && t.length <= 200 ? t : null;
};

/**
 * The id a client gave this tool call (its retries repeat it), if any. Only from _meta, which is per
 * tool call: MCP clients set headers once per connection, and a fixed header would make every tool
 * call of the connection a retry of the first.
 */
export const clientToolCallId = (meta: Meta) => id(meta?.['agendai/toolCallId']);

export async function sessionFor(
  deps: AppDeps,
  integration: IntegrationRow,
  binding: McpBinding,
  headers: Headers,
  meta: Meta,
): Promise<VoiceSession> {
  // A per-call token speaks for its call alone: headers cannot move it to another call or caller.
  const bound = binding.callId !== null;
  const callerRaw = bound ? null : (text(headers.get('x-agendai-caller')) ?? text(meta?.['agendai/caller']));
  const named = bound
    ? binding.callId
    : (id(headers.get('x-agendai-call-id')) ?? id(headers.get('x-call-id')) ?? id(meta?.['agendai/callId']));
  // No call named: one record per caller (or per withheld caller) per day, so that a retry finds the
  // same call and its first answer.
  const day = new Date(deps.clock.now()).toISOString().slice(0, 10);
  // The caller part is the clinic's keyed hash (never a plain digest: phone numbers are few enough to
  // enumerate, and this id is shown to keys without calls:read_phone), of the digits alone.
  const who = callerRaw ? await deps.vault.hash(callerRaw.replace(/[^\d+]/g, ''), integration.tenantId) : '';
  const externalCallId = named ?? `mcp:${day}:${(await sha256Hex(who)).slice(0, 16)}`;
  const session = await openSession(deps, integration, {
    externalCallId,
    callerRaw,
    calledRaw: bound ? null : (text(headers.get('x-agendai-called')) ?? text(meta?.['agendai/called'])),
  });
  const sealed = session.call.fromNumberEncrypted;
  if (sealed) session.caller = await deps.vault.decrypt(sealed, callerContext(session.call));
  return session;
}
