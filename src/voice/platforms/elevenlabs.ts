// ElevenLabs Agents: server ("webhook") tools post their request_body_schema to /tools/{toolName}
// with the X-Agendai-Secret header (see definitions.ts: caller_id and conversation_id come from the
// system__caller_id / system__conversation_id variables); the post-call webhook goes to the main URL,
// signed `ElevenLabs-Signature: t=<unix s>,v0=<hex HMAC-SHA256(webhookSecret, "t.rawBody")>`.
import { AppError } from '../../domain/errors.js';
import { fresh, fromHex, secretsEqual, TOLERANCE_MS, verifyHmac } from '../../security/signatures.js';
import { endCall, handleToolCall, type Utterance } from '../call-log.js';
import { type PlatformAdapter, parseJson, unauthorized } from '../door.js';
import { credentialsOf } from '../integrations.js';
import { openSession } from '../session.js';
import { derivedToolCallId } from './derived-id.js';

interface PostCall {
  type?: string;
  data?: {
    conversation_id?: string;
    status?: string;
    transcript?: { role?: string; message?: string | null; time_in_call_secs?: number }[];
    metadata?: {
      start_time_unix_secs?: number;
      call_duration_secs?: number;
      termination_reason?: string;
      phone_call?: { external_number?: string; agent_number?: string };
    };
    conversation_initiation_client_data?: { dynamic_variables?: Record<string, unknown> };
  };
}

const text = (v: unknown) => (typeof v === 'string' && v ? v : null);

function transcriptOf(data: NonNullable<PostCall['data']>, startedAt: number): Utterance[] {
  return (data.transcript ?? [])
    .filter((t) => (t.role === 'agent' || t.role === 'user') && t.message)
    .map((t) => ({
      role: t.role === 'user' ? ('caller' as const) : ('agent' as const),
      text: t.message!,
      at: startedAt + Math.round((t.time_in_call_secs ?? 0) * 1000),
    }));
}

export const elevenlabs: PlatformAdapter = {
  /** The post-call webhook (post_call_transcription closes the call; other types are acknowledged). */
  async webhook({ deps, integration, raw, headers }) {
    const { webhookSecret } = await credentialsOf<'elevenlabs'>(deps, integration);
    if (!webhookSecret) throw unauthorized('no post-call webhook secret is configured');
    const parts = Object.fromEntries(
      (headers.get('elevenlabs-signature') ?? '').split(',').map((p) => {
        const at = p.indexOf('=');
        return [p.slice(0, at).trim(), p.slice(at + 1).trim()];
      }),
    ) as Record<string, string | undefined>;
    const signature = fromHex(parts.v0 ?? '');
    // ElevenLabs itself tolerates 30 minutes; every door here holds 5.
    if (!signature || !/^\d{1,12}$/.test(parts.t ?? '') || !fresh(parts.t, deps.clock.now(), TOLERANCE_MS))
      throw unauthorized('missing, malformed or stale ElevenLabs-Signature');
    if (!(await verifyHmac(webhookSecret, `${parts.t}.${raw}`, signature, 'SHA-256', deps.hmac)))
      throw unauthorized('bad ElevenLabs-Signature');

    const body = (parseJson(raw) ?? {}) as PostCall;
    if (body.type !== 'post_call_transcription' || !body.data?.conversation_id) return Response.json({});
    const { data } = body;
    const meta = data.metadata ?? {};
    const variables = data.conversation_initiation_client_data?.dynamic_variables ?? {};
    const startedAt = meta.start_time_unix_secs ? meta.start_time_unix_secs * 1000 : undefined;
    // external_number is the patient's end whichever side dialled; agent_number is the clinic's line.
    const session = await openSession(deps, integration, {
      externalCallId: data.conversation_id!,
      callerRaw: text(meta.phone_call?.external_number) ?? text(variables.system__caller_id),
      calledRaw: text(meta.phone_call?.agent_number) ?? text(variables.system__called_number),
      startedAt,
    });
    const start = startedAt ?? session.call.startedAt;
    await endCall(deps, session.call, {
      startedAt: start,
      endedAt: meta.call_duration_secs !== undefined ? start + meta.call_duration_secs * 1000 : undefined,
      reason: meta.termination_reason ?? null,
      transcript: transcriptOf(data, start),
      status: data.status === 'failed' ? 'failed' : 'completed',
    });
    return Response.json({});
  },

  /** A server tool: the body is the tool's arguments plus caller_id / called_number / conversation_id. */
  async tools({ deps, integration, raw, headers, toolName }) {
    const { toolSecret } = await credentialsOf<'elevenlabs'>(deps, integration);
    const presented =
      headers.get('x-agendai-secret') ?? /^Bearer\s+(.+)$/i.exec(headers.get('authorization') ?? '')?.[1];
    if (!presented || !(await secretsEqual(presented, toolSecret, deps.sha256Hex)))
      throw unauthorized('bad tool secret');
    if (!toolName) throw new AppError('not_found', 'ElevenLabs tools post to /tools/{toolName}');
    const body = parseJson(raw);
    const {
      caller_id: callerId,
      called_number: calledNumber,
      conversation_id: conversationId,
      ...args
    } = (body && typeof body === 'object' && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
    const session = await openSession(deps, integration, {
      externalCallId: text(conversationId) ?? 'unknown',
      callerRaw: text(callerId),
      calledRaw: text(calledNumber),
    });
    const name = toolName;
    // ElevenLabs sends no tool-call id and may re-send a request that timed out: see derived-id.ts.
    const toolCallId = await derivedToolCallId(session, name, args);
    const outcome = await handleToolCall(session, name, args, toolCallId);
    // transfer_number: for a dynamic-variable assignment feeding the agent's transfer_to_number tool.
    return Response.json({
      result: outcome.text,
      ...(outcome.transfer ? { transfer_number: outcome.transfer.number } : {}),
    });
  },
};
