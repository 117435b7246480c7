// Retell AI: custom functions ({name, call, args}, or the arguments at the root when the tool sets
// args_at_root) and call events (call_started, call_ended, call_analyzed), both posted to the
// integration's webhook URL and signed with X-Retell-Signature: v=<unix ms>,d=<hex HMAC-SHA256 keyed
// with the Retell API key over the raw body followed by the timestamp>.

import { fresh, fromHex, TOLERANCE_MS, verifyHmac } from '../../security/signatures.js';
import { type CallEnd, endCall, handleToolCall, type Utterance } from '../call-log.js';
import { type PlatformAdapter, parseJson, unauthorized, type WebhookInput } from '../door.js';
import { credentialsOf } from '../integrations.js';
import { type CallIdentity, openSession } from '../session.js';
import { derivedToolCallId } from './derived-id.js';

interface RetellCall {
  call_id?: string;
  call_type?: string;
  direction?: 'inbound' | 'outbound';
  from_number?: string;
  to_number?: string;
  call_status?: string;
  start_timestamp?: number;
  end_timestamp?: number;
  disconnection_reason?: string;
  recording_url?: string;
  transcript_object?: {
    role?: string;
    content?: string;
    words?: { start?: number }[];
  }[];
}

interface RetellBody {
  event?: string;
  name?: string;
  call?: RetellCall;
  args?: unknown;
  [argument: string]: unknown;
}

async function authenticate({ deps, integration, raw, headers }: WebhookInput) {
  const { apiKey } = await credentialsOf<'retell'>(deps, integration);
  const match = /^v=(\d{1,16}),d=([0-9a-fA-F]{64})$/.exec(headers.get('x-retell-signature')?.trim() ?? '');
  if (!match) throw unauthorized('missing or malformed X-Retell-Signature');
  const [, timestamp, digest] = match;
  if (!fresh(timestamp, deps.clock.now(), TOLERANCE_MS, 'ms')) throw unauthorized('stale X-Retell-Signature');
  if (!(await verifyHmac(apiKey, `${raw}${timestamp}`, fromHex(digest!)!, 'SHA-256', deps.hmac)))
    throw unauthorized('bad X-Retell-Signature');
}

/** Who calls whom: on an outbound call the patient is the number dialled, not the caller. */
function identity(call: RetellCall = {}): CallIdentity {
  const outbound = call.direction === 'outbound';
  return {
    externalCallId: call.call_id ?? 'unknown',
    callerRaw: (outbound ? call.to_number : call.from_number) ?? null,
    calledRaw: (outbound ? call.from_number : call.to_number) ?? null,
    startedAt: call.start_timestamp || undefined,
  };
}

function transcriptOf(call: RetellCall, startedAt: number): Utterance[] {
  return (call.transcript_object ?? [])
    .filter((u) => (u.role === 'agent' || u.role === 'user') && u.content)
    .map((u) => ({
      role: u.role === 'user' ? ('caller' as const) : ('agent' as const),
      text: u.content!,
      at: startedAt + Math.round((u.words?.[0]?.start ?? 0) * 1000),
    }));
}

/** A function's arguments: under `args`, or at the root (args_at_root) beside `name` and `call`. */
function argsOf(body: RetellBody): unknown {
  if (body.args !== undefined) return body.args;
  const { name: _name, call: _call, ...root } = body;
  return root;
}

export const retell: PlatformAdapter = {
  async webhook(input) {
    await authenticate(input);
    const body = (parseJson(input.raw) ?? {}) as RetellBody;
    const { deps, integration } = input;

    if (typeof body.event === 'string') {
      const session = await openSession(deps, integration, identity(body.call));
      if (body.event === 'call_ended' || body.event === 'call_analyzed') {
        const call = body.call ?? {};
        const startedAt = call.start_timestamp || session.call.startedAt;
        const end: CallEnd = {
          startedAt,
          endedAt: call.end_timestamp || undefined,
          reason: call.disconnection_reason ?? null,
          recordingUrl: call.recording_url ?? null,
          transcript: transcriptOf(call, startedAt),
          status:
            call.call_status === 'error' || call.disconnection_reason?.startsWith('error')
              ? 'failed'
              : 'completed',
        };
        await endCall(deps, session.call, end);
      }
      return new Response(null, { status: 204 });
    }

    if (typeof body.name !== 'string') return Response.json({ result: 'Unknown request' });
    const session = await openSession(deps, integration, identity(body.call));
    const args = argsOf(body);
    // Retell sends no tool-call id and retries a function that timed out: see derived-id.ts.
    const toolCallId = await derivedToolCallId(session, body.name, args);
    const outcome = await handleToolCall(session, body.name, args, toolCallId);
    // The body goes to the LLM as is: one short sentence. A transfer_to_human that may go ahead also
    // carries transfer_number, which the custom function's response_variables hand to Retell's
    // transfer_call tool ({{transfer_number}}): Retell's own way of dialling a number decided here.
    return Response.json({
      result: outcome.text,
      ...(outcome.transfer ? { transfer_number: outcome.transfer.number } : {}),
    });
  },
};
