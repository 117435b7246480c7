// OpenAI, two ways in.
// - /tools: a generic tool-call endpoint for the clinic's own code running Chat Completions or the
//   Responses API. It posts the model's tool calls (an assistant message with `tool_calls`, the bare
//   `tool_calls` array, a whole chat completion; or `function_call` items, a whole response, one item)
//   and gets back what to append: `{role: "tool", tool_call_id, content}` messages or
//   `{type: "function_call_output", call_id, output}` items. Auth: `Authorization: Bearer <toolSecret>`.
//   The call it belongs to and the caller come in headers (X-Agendai-Call-Id, X-Agendai-Caller): only the
//   clinic's code knows them, and it is the one authenticated here.
// - The webhook URL: Realtime over SIP. `realtime.call.incoming` (Standard Webhooks signature, checked
//   by the SDK's webhooks.unwrap on the raw body) → the call is accepted with the clinic's instructions
//   and the tool catalogue; where the runtime has a sideband (Node), the call's tool calls are served
//   over its WebSocket.
import { DateTime } from 'luxon';
import OpenAI from 'openai';
import type { Tenant } from '../../accounts/tenants.js';
import type { AppDeps } from '../../deps.js';
import { AppError } from '../../domain/errors.js';
import { secretsEqual, TOLERANCE_MS } from '../../security/signatures.js';
import { endCall, handleToolCall } from '../call-log.js';
import type { Credentials } from '../credentials.js';
import { toolDefinitions } from '../definitions.js';
import { type PlatformAdapter, parseJson, unauthorized } from '../door.js';
import { referCall } from '../front-desk/openai-refer.js';
import { credentialsOf } from '../integrations.js';
import { realtimeCallTools } from '../mcp-link.js';
import { openSession, type VoiceSession } from '../session.js';
import { inLanguage, PHRASES } from '../speech.js';

interface ToolCall {
  id: string;
  name: string;
  args: unknown;
}

type Shape = 'chat' | 'responses';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const chatCall = (v: unknown): ToolCall | null =>
  isObject(v) && typeof v.id === 'string' && isObject(v.function) && typeof v.function.name === 'string'
    ? { id: v.id, name: v.function.name, args: v.function.arguments }
    : null;

const responsesCall = (v: unknown): ToolCall | null =>
  isObject(v) && v.type === 'function_call' && typeof v.call_id === 'string' && typeof v.name === 'string'
    ? { id: v.call_id, name: v.name, args: v.arguments }
    : null;

/** The tool calls in a request, and which API's shape to answer in. */
function readToolCalls(body: unknown): { shape: Shape; calls: ToolCall[] } {
  const first = isObject(body) && Array.isArray(body.choices) ? body.choices[0] : undefined;
  const message = isObject(first) && isObject(first.message) ? first.message : body;
  if (isObject(message) && Array.isArray(message.tool_calls)) body = message.tool_calls;
  if (isObject(body) && Array.isArray(body.output)) body = body.output;
  if (isObject(body) && body.type === 'function_call') body = [body];
  if (Array.isArray(body)) {
    const chat = body.map(chatCall);
    if (body.length && chat.every(Boolean)) return { shape: 'chat', calls: chat as ToolCall[] };
    // A Responses output holds other items too (messages, reasoning): only function calls run.
    const calls = body.map(responsesCall).filter((c): c is ToolCall => c !== null);
    if (calls.length) return { shape: 'responses', calls };
  }
  throw new AppError(
    'malformed_payload',
    'Send Chat Completions tool_calls (or the assistant message) or Responses function_call items',
  );
}

const clientOf = (deps: AppDeps, c: Credentials<'openai'>) =>
  new OpenAI({
    apiKey: c.apiKey,
    webhookSecret: c.webhookSecret,
    baseURL: c.baseURL,
    // The baseURL is the clinic's choice: every connection obeys the egress rule (public addresses
    // only, checked after DNS on Node), so the clinic's API key is never sent to our own network.
    fetch: deps.egress.fetch,
    // The caller is ringing: one quick retry at most.
    maxRetries: 1,
    timeout: 10_000,
  });

const LANGUAGES: Record<string, string> = {
  pt: 'European Portuguese (pt-PT)',
  'pt-pt': 'European Portuguese (pt-PT)',
  'pt-br': 'Brazilian Portuguese (pt-BR)',
  en: 'English',
  es: 'Spanish',
};

/** The clinic's language, named for the model. */
function spokenLanguage(tenant: Tenant): string {
  const { language } = tenant.config;
  const tag = language.toLowerCase();
  return LANGUAGES[tag] ?? LANGUAGES[tag.split('-')[0]!] ?? language;
}

/** A suspended clinic's line: the model says the refusal every tool would speak, and nothing more. */
export function refusalInstructions(session: VoiceSession): string {
  return [
    `You answer the phone for ${session.tenant.name}, a clinic. Speak ${spokenLanguage(session.tenant)}.`,
    `Tell the caller: "${inLanguage(PHRASES.suspended, session.language)()}"`,
    'Then say goodbye. Offer nothing else: you cannot see or change appointments on this line.',
  ].join('\n');
}

/** What the Realtime model is told when it picks up: the clinic, its language, and today's date there. */
export function realtimeInstructions(tenant: Tenant, now: number, withTools = true): string {
  const { timezone, greeting } = tenant.config;
  const speak = spokenLanguage(tenant);
  const today = DateTime.fromMillis(now, { zone: timezone }).setLocale('en-GB').toFormat('cccc d LLLL yyyy');
  return [
    `You answer the phone for ${tenant.name}, a clinic. Speak ${speak}.`,
    greeting ? `Open the call with: "${greeting}"` : 'Greet the caller with the clinic name.',
    `Today is ${today} in ${timezone}; every time you say or send is local time there ("YYYY-MM-DDTHH:MM").`,
    ...(withTools
      ? [
          'Use the tools to list services, find free times, and book, find, cancel or move appointments.',
          'When the caller describes symptoms, call report_symptoms first; if it says this may be an emergency, say so and book nothing.',
          'For the address, opening hours or prices use clinic_info; to reach a person use transfer_to_human; otherwise offer take_message.',
          'Never offer a time the tools did not offer, and never confirm a booking the tool did not confirm.',
          "The patient's phone number defaults to the number they call from: ask for one only if a tool asks.",
        ]
      : [
          'On this line you cannot see or change appointments: say so, and ask the caller to contact the clinic another way.',
        ]),
    'Keep every answer short: this is a phone call.',
  ].join('\n');
}

const sipHeader = (headers: { name: string; value: string }[] | undefined, name: string) =>
  headers?.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value ?? null;

export const openai: PlatformAdapter = {
  /** Realtime over SIP: accept the incoming call, then serve its tool calls over the sideband. */
  async webhook({ deps, integration, raw, headers, url }) {
    const credentials = await credentialsOf<'openai'>(deps, integration);
    if (!credentials.webhookSecret) throw unauthorized('no webhook secret is configured');
    const client = clientOf(deps, credentials);
    let event: OpenAI.Webhooks.UnwrapWebhookEvent;
    try {
      // Standard Webhooks on the raw body; the SDK holds the 5-minute window against the wall clock.
      event = await client.webhooks.unwrap(raw, headers, credentials.webhookSecret, TOLERANCE_MS / 1000);
    } catch {
      throw unauthorized('bad or stale webhook signature');
    }
    if (event.type !== 'realtime.call.incoming') return Response.json({});

    const { call_id: callId, sip_headers: sip } = event.data;
    const session = await openSession(deps, integration, {
      externalCallId: callId,
      callerRaw: sipHeader(sip, 'From'),
      calledRaw: sipHeader(sip, 'To'),
    });
    const sideband = deps.realtimeSideband;
    const instructions = session.suspended
      ? refusalInstructions(session)
      : realtimeInstructions(session.tenant, deps.clock.now());
    const tools = toolDefinitions('openai-realtime', { webhookUrl: '', toolsUrl: '' });
    await client.realtime.calls.accept(callId, {
      type: 'realtime',
      model: credentials.model,
      instructions,
      ...(credentials.voice ? { audio: { output: { voice: credentials.voice } } } : {}),
      // A suspended clinic's line gets no tools: the model only says the refusal. Otherwise function
      // tools where the Node sideband answers them; without one (Workers) OpenAI calls this
      // integration's MCP endpoint itself, with a token for this call (src/voice/mcp-link.ts).
      ...(session.suspended
        ? {}
        : sideband
          ? {
              tools: tools as OpenAI.Realtime.RealtimeToolsConfig,
              tool_choice: 'auto' as const,
              // One function call per response: each output is followed by one response.create.
              parallel_tool_calls: false,
            }
          : {
              tools: await realtimeCallTools(
                deps.publicBaseUrl,
                url,
                credentials.webhookSecret,
                integration.id,
                callId,
                deps.clock.now(),
              ),
              tool_choice: 'auto' as const,
            }),
    });
    sideband?.({
      callId,
      client,
      runTool: async (name, args, toolCallId) =>
        (await handleToolCall(session, name, args, toolCallId, (o) => referCall(client, callId, session, o)))
          .text,
      ended: () => endCall(deps, session.call, { reason: 'sideband_closed' }),
    });
    return Response.json({});
  },

  /** Chat Completions tool_calls or Responses function_call items, answered in the same shape. */
  async tools({ deps, integration, raw, headers }) {
    const { toolSecret } = await credentialsOf<'openai'>(deps, integration);
    const presented = /^Bearer\s+(.+)$/i.exec(headers.get('authorization') ?? '')?.[1];
    if (!toolSecret || !presented || !(await secretsEqual(presented, toolSecret, deps.sha256Hex)))
      throw unauthorized('bad tool secret');
    const { shape, calls } = readToolCalls(parseJson(raw));
    const session = await openSession(deps, integration, {
      externalCallId: headers.get('x-agendai-call-id') ?? `tools:${calls[0]!.id}`,
      callerRaw: headers.get('x-agendai-caller'),
      calledRaw: headers.get('x-agendai-called'),
    });
    const answers = [];
    // In order: a later call may depend on an earlier one (book after check).
    for (const call of calls) {
      const { text } = await handleToolCall(session, call.name, call.args, call.id);
      answers.push(
        shape === 'chat'
          ? { role: 'tool', tool_call_id: call.id, content: text }
          : { type: 'function_call_output', call_id: call.id, output: text },
      );
    }
    return Response.json(answers);
  },
};
