// Vapi server URL: `tool-calls` (answered 200 with results in request order), `end-of-call-report`,
// `status-update`. Auth: the shared secret (a Bearer credential in the header the clinic names, or
// X-Vapi-Secret) or Vapi's HMAC plan.

import { z } from 'zod';
import { fresh, fromHex, secretsEqual, verifyHmac } from '../../security/signatures.js';
import { type CallEnd, endCall, handleToolCall, recordToolOutcome, type Utterance } from '../call-log.js';
import { type PlatformAdapter, parseJson, unauthorized, type WebhookInput } from '../door.js';
import { transferDestination, transferOverControlUrl } from '../front-desk/vapi-transfer.js';
import { credentialsOf } from '../integrations.js';
import { openSession } from '../session.js';

// Vapi's payloads are parsed leniently: a field of the wrong type counts as absent and a list that is
// not a list as empty, so a malformed message gets an answer, never a crash (test/hostile/doors-fuzz).
const text = z.string().min(1).optional().catch(undefined);
// An instant given as an ISO string; anything Date.parse cannot read counts as absent.
const instant = z
  .string()
  .optional()
  .catch(undefined)
  .transform((v) => {
    const ms = v === undefined ? Number.NaN : Date.parse(v);
    return Number.isFinite(ms) ? ms : undefined;
  });
const num = z.number().optional().catch(undefined);
const listOf = <T extends z.ZodType>(item: T) =>
  z
    .array(z.unknown())
    .catch([])
    .transform((items) =>
      items.flatMap((x) => {
        const parsed = item.safeParse(x);
        return parsed.success ? [parsed.data as z.infer<T>] : [];
      }),
    );
const number = z.object({ number: text }).optional().catch(undefined);
const ToolCall = z.object({
  id: text,
  function: z
    .object({ name: text, arguments: z.unknown().optional(), parameters: z.unknown().optional() })
    .optional()
    .catch(undefined),
  name: text,
  arguments: z.unknown().optional(),
  parameters: z.unknown().optional(),
});
const Message = z.object({
  type: text,
  call: z
    .object({
      id: text,
      customer: number,
      startedAt: instant,
      // Live call control (front desk: transfer_to_human), see vapi-transfer.ts.
      monitor: z.object({ controlUrl: text }).optional().catch(undefined),
    })
    .optional()
    .catch(undefined),
  customer: number,
  phoneNumber: number,
  toolCallList: listOf(ToolCall).optional(),
  toolCalls: listOf(ToolCall).optional(),
  toolWithToolCallList: listOf(z.object({ toolCall: ToolCall.optional().catch(undefined) })).optional(),
  status: text,
  endedReason: text,
  startedAt: instant,
  endedAt: instant,
  recordingUrl: text,
  artifact: z
    .object({
      messages: listOf(z.object({ role: text, message: text, time: num, secondsFromStart: num })).optional(),
      recordingUrl: text,
    })
    .optional()
    .catch(undefined),
});
const Envelope = z.object({ message: Message.optional().catch(undefined) }).catch({});

type VapiMessage = z.infer<typeof Message>;
type VapiToolCall = z.infer<typeof ToolCall>;

async function authenticate({ deps, integration, raw, headers }: WebhookInput) {
  const credentials = await credentialsOf<'vapi'>(deps, integration);
  if (credentials.hmacSecret) {
    const timestamp = headers.get('x-timestamp');
    const signature = fromHex((headers.get('x-signature') ?? '').replace(/^sha256=/i, ''));
    const unit = Number(timestamp) > 1e12 ? 'ms' : 's';
    if (
      signature &&
      fresh(timestamp, deps.clock.now(), undefined, unit) &&
      (await verifyHmac(credentials.hmacSecret, `${timestamp}.${raw}`, signature, 'SHA-256', deps.hmac))
    ) {
      return;
    }
    if (!credentials.secret) throw unauthorized('bad or stale HMAC signature');
  }
  const presented = presentedSecret(headers, credentials.headerName);
  if (
    !credentials.secret ||
    !presented ||
    !(await secretsEqual(presented, credentials.secret, deps.sha256Hex))
  )
    throw unauthorized('bad secret');
}

/**
 * The secret as Vapi sends it: a Bearer credential goes in the header named on it (Authorization
 * unless the clinic chose another) with or without the `Bearer ` prefix (a switch on the credential);
 * the legacy server secret comes as X-Vapi-Secret. The first of these present is the one checked.
 */
function presentedSecret(headers: Headers, headerName: string | undefined): string | undefined {
  for (const name of [headerName, 'x-vapi-secret', 'authorization']) {
    const value = name ? headers.get(name)?.trim() : undefined;
    if (value) return value.replace(/^Bearer\s+/i, '');
  }
  return undefined;
}

const toolCallsOf = (m: VapiMessage): VapiToolCall[] =>
  m.toolCallList ??
  m.toolCalls ??
  (m.toolWithToolCallList ?? []).flatMap((t) => (t.toolCall ? [t.toolCall] : []));

const identity = (m: VapiMessage) => ({
  externalCallId: m.call?.id ?? 'unknown',
  callerRaw: m.call?.customer?.number ?? m.customer?.number ?? null,
  calledRaw: m.phoneNumber?.number ?? null,
  startedAt: m.call?.startedAt,
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
    const message: VapiMessage = Envelope.parse(parseJson(input.raw)).message ?? Message.parse({});
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
          const controlUrl = message.call?.monitor?.controlUrl;
          const outcome = await handleToolCall(session, name, args, call.id, (o) =>
            transferOverControlUrl(deps, session, controlUrl, o),
          );
          results.push({ toolCallId: call.id, result: outcome.text });
        }
        return Response.json({ results });
      }
      case 'transfer-destination-request': {
        const session = await openSession(deps, integration, identity(message));
        const { outcome, body } = await transferDestination(session);
        await recordToolOutcome(session, 'transfer_to_human', {}, outcome);
        return Response.json(body);
      }
      case 'end-of-call-report': {
        const session = await openSession(deps, integration, identity(message));
        const startedAt = message.startedAt ?? session.call.startedAt;
        const end: CallEnd = {
          startedAt,
          endedAt: message.endedAt,
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
