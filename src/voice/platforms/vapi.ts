// Vapi server URL: `tool-calls` (answered 200 with results in request order), `end-of-call-report`,
// `status-update`. Auth: the shared secret (Bearer or X-Vapi-Secret) or Vapi's HMAC plan.
import { type CallEnd, endCall, handleToolCall, type Utterance } from '../call-log.js';
import { type PlatformAdapter, parseJson, unauthorized, type WebhookInput } from '../door.js';
import { credentialsOf } from '../integrations.js';
import { openSession } from '../session.js';
import { fresh, fromHex, secretsEqual, verifyHmac } from '../signatures.js';

interface VapiToolCall {
  id: string;
  function?: { name: string; arguments?: unknown; parameters?: unknown };
  name?: string;
  arguments?: unknown;
  parameters?: unknown;
}

interface VapiMessage {
  type?: string;
  call?: { id?: string; type?: string; customer?: { number?: string }; startedAt?: string };
  customer?: { number?: string };
  phoneNumber?: { number?: string };
  toolCallList?: VapiToolCall[];
  toolCalls?: VapiToolCall[];
  toolWithToolCallList?: { toolCall?: VapiToolCall }[];
  status?: string;
  endedReason?: string;
  startedAt?: string;
  endedAt?: string;
  recordingUrl?: string;
  artifact?: {
    messages?: { role?: string; message?: string; time?: number; secondsFromStart?: number }[];
    recordingUrl?: string;
  };
}

async function authenticate({ deps, integration, raw, headers }: WebhookInput) {
  const credentials = await credentialsOf<'vapi'>(deps, integration);
  if (credentials.hmacSecret) {
    const timestamp = headers.get('x-timestamp');
    const signature = fromHex((headers.get('x-signature') ?? '').replace(/^sha256=/i, ''));
    const unit = Number(timestamp) > 1e12 ? 'ms' : 's';
    if (
      signature &&
      fresh(timestamp, deps.clock.now(), undefined, unit) &&
      (await verifyHmac(credentials.hmacSecret, `${timestamp}.${raw}`, signature))
    ) {
      return;
    }
    if (!credentials.secret) throw unauthorized('bad or stale HMAC signature');
  }
  const presented =
    headers.get('x-vapi-secret') ?? /^Bearer\s+(.+)$/i.exec(headers.get('authorization') ?? '')?.[1];
  if (!credentials.secret || !presented || !(await secretsEqual(presented, credentials.secret)))
    throw unauthorized('bad secret');
}

const toolCallsOf = (m: VapiMessage): VapiToolCall[] =>
  m.toolCallList ??
  m.toolCalls ??
  (m.toolWithToolCallList ?? []).flatMap((t) => (t.toolCall ? [t.toolCall] : []));

const identity = (m: VapiMessage) => ({
  externalCallId: m.call?.id ?? 'unknown',
  callerRaw: m.call?.customer?.number ?? m.customer?.number ?? null,
  calledRaw: m.phoneNumber?.number ?? null,
  startedAt: m.call?.startedAt ? Date.parse(m.call.startedAt) || undefined : undefined,
});

function transcriptOf(m: VapiMessage, startedAt: number): Utterance[] {
  return (m.artifact?.messages ?? [])
    .filter((x) => (x.role === 'user' || x.role === 'bot' || x.role === 'assistant') && x.message)
    .map((x) => ({
      role: x.role === 'user' ? ('caller' as const) : ('agent' as const),
      text: x.message!,
      at: typeof x.time === 'number' ? x.time : startedAt + Math.round((x.secondsFromStart ?? 0) * 1000),
    }));
}

export const vapi: PlatformAdapter = {
  async webhook(input) {
    await authenticate(input);
    const body = parseJson(input.raw) as { message?: VapiMessage };
    const message = body?.message ?? {};
    const { deps, integration } = input;
    switch (message.type) {
      case 'tool-calls': {
        const session = await openSession(deps, integration, identity(message));
        const results = [];
        // In order: a later call may depend on an earlier one (book after check).
        for (const call of toolCallsOf(message)) {
          const name = call.function?.name ?? call.name ?? '';
          const args =
            call.function?.arguments ?? call.function?.parameters ?? call.arguments ?? call.parameters ?? {};
          const outcome = await handleToolCall(session, name, args, call.id);
          results.push({ toolCallId: call.id, result: outcome.text });
        }
        return Response.json({ results });
      }
      case 'end-of-call-report': {
        const session = await openSession(deps, integration, identity(message));
        const startedAt = message.startedAt ? Date.parse(message.startedAt) : session.call.startedAt;
        const end: CallEnd = {
          startedAt,
          endedAt: message.endedAt ? Date.parse(message.endedAt) : undefined,
          reason: message.endedReason ?? null,
          recordingUrl: message.recordingUrl ?? message.artifact?.recordingUrl ?? null,
          transcript: transcriptOf(message, startedAt),
          status: message.endedReason?.includes('error') ? 'failed' : 'completed',
        };
        await endCall(deps, session.call, end);
        return Response.json({});
      }
      case 'status-update': {
        const session = await openSession(deps, integration, identity(message));
        if (message.status === 'ended')
          await endCall(deps, session.call, { reason: message.endedReason ?? null });
        return Response.json({});
      }
      default:
        return Response.json({});
    }
  },
};
