// What a call leaves behind: tool calls and speech as events, its outcome, its end. Tool inputs are
// stored without phone numbers, and numbers said in transcripts are masked (src/domain/phone-mask.ts):
// a call log must not become a second copy of patients' numbers.

import type { CountryCode } from 'libphonenumber-js/max';
import {
  type CallRow,
  callEventsStatement,
  closeCall,
  insertCallEvents,
  raiseCallOutcomeStatement,
  updateCall,
} from '../db/voice.js';
import type { AppDeps } from '../deps.js';
import { jsonTextDepth, MAX_JSON_DEPTH, nestsDeeperThan } from '../domain/json-depth.js';
import { countryOfPhone, maskPhonesInText } from '../domain/phone-mask.js';
import { runTool, type ToolOutcome } from './run-tool.js';
import type { VoiceSession } from './session.js';

const redactArgs = (args: unknown, country: CountryCode | undefined): unknown => {
  // Stored with JSON.stringify, which recurses: arguments nested absurdly deep are not kept.
  if (typeof args === 'string' ? jsonTextDepth(args) > MAX_JSON_DEPTH : nestsDeeperThan(args)) {
    return { unreadable: `nested deeper than ${MAX_JSON_DEPTH} levels` };
  }
  if (typeof args === 'string') {
    try {
      return redactArgs(JSON.parse(args), country);
    } catch {
      return maskPhonesInText(args, country);
    }
  }
  if (!args || typeof args !== 'object') return args;
  return Object.fromEntries(
    Object.entries(args as Record<string, unknown>).map(([k, v]) => [
      k,
      /phone/i.test(k) && v ? '[phone]' : typeof v === 'string' ? maskPhonesInText(v, country) : v,
    ]),
  );
};

// The outcome a call ends with: an emergency outranks everything (the clinic must see it); then a
// booking, a reschedule, a cancellation; a message taken or a transfer only when nothing else happened.
const RANK: Record<string, number> = {
  emergency: 10,
  booking_created: 3,
  booking_rescheduled: 2,
  booking_cancelled: 1,
  message_taken: 0.6,
  transferred_to_human: 0.5,
};

/**
 * Runs a tool call and logs it on the call (event + outcome). `handOver` lets the adapter act on
 * the outcome first (hand the call to a person, front-desk/transfer.ts), so the log keeps what
 * really happened.
 */
export async function handleToolCall(
  s: VoiceSession,
  name: string,
  args: unknown,
  toolCallId?: string,
  handOver?: (outcome: ToolOutcome) => Promise<ToolOutcome>,
): Promise<ToolOutcome> {
  const ran = await runTool(s, name, args, toolCallId);
  const outcome = handOver && ran.transfer ? await handOver(ran) : ran;
  await recordToolOutcome(s, name, args, outcome, toolCallId);
  return outcome;
}

/** Logs a tool's outcome on the call: its event, and the call's outcome when it outranks the current one. */
export async function recordToolOutcome(
  s: VoiceSession,
  name: string,
  args: unknown,
  outcome: ToolOutcome,
  toolCallId?: string,
): Promise<void> {
  const now = s.deps.clock.now();
  const { store } = s.deps;
  const statements = [
    callEventsStatement(store.db, [
      {
        id: crypto.randomUUID(),
        tenantId: s.tenant.id,
        callId: s.call.id,
        eventType: 'tool_call',
        role: null,
        transcript: null,
        toolName: name,
        toolInput: redactArgs(args, s.tenant.country as CountryCode) ?? {},
        toolOutput: {
          ok: outcome.ok,
          result: outcome.text,
          appointmentId: outcome.appointmentId ?? null,
          toolCallId: toolCallId ?? null,
          ...(outcome.outcome ? { outcome: outcome.outcome } : {}),
          ...(outcome.refusal ? { refusal: outcome.refusal } : {}),
        },
        occurredAt: now,
      },
    ]),
  ];
  // Ranked on the session's copy, so the next tool call of the same request sees this outcome, and
  // again in the UPDATE, against what other requests of the call have logged since this one read it.
  if (outcome.outcome && (RANK[outcome.outcome] ?? 0) > (RANK[s.call.outcome ?? ''] ?? 0)) {
    s.call = { ...s.call, outcome: outcome.outcome };
    statements.push(raiseCallOutcomeStatement(store.db, s.call.id, outcome.outcome, RANK, now));
  }
  // One unit, and after the platform has its answer where the door allows it (AppDeps.afterAnswer):
  // the log is the clinic's record of the call, nothing the caller waits to hear depends on it.
  const write = async () => {
    await store.atomic(statements);
  };
  if (s.deps.afterAnswer) s.deps.afterAnswer(write);
  else await write();
}

export interface Utterance {
  role: 'caller' | 'agent';
  text: string;
  at: number;
}

export interface CallEnd {
  endedAt?: number;
  startedAt?: number;
  status?: 'completed' | 'failed';
  reason?: string | null;
  recordingUrl?: string | null;
  transcript?: Utterance[];
}

/** Closes a call: times, duration, reason, and its transcript as speech events (once). */
export async function endCall(deps: AppDeps, call: CallRow, end: CallEnd): Promise<void> {
  const now = deps.clock.now();
  const startedAt = end.startedAt ?? call.startedAt;
  const endedAt = end.endedAt ?? now;
  const transcript = end.transcript ?? [];
  const patch = {
    status: end.status ?? 'completed',
    startedAt,
    endedAt,
    endedReason: end.reason ?? call.endedReason,
    durationSeconds: Math.max(0, Math.round((endedAt - startedAt) / 1000)),
    recordingUrl: end.recordingUrl ?? call.recordingUrl,
    transcriptionWordCount: transcript.length
      ? transcript.reduce((n, u) => n + u.text.split(/\s+/).filter(Boolean).length, 0)
      : call.transcriptionWordCount,
    updatedAt: now,
  };
  // A platform may repeat its end-of-call report: only the first one closes the call and stores the transcript.
  const first = await closeCall(deps.store, call.id, patch);
  if (!first) {
    await updateCall(deps.store, call.id, patch);
    return;
  }
  if (!transcript.length) return;
  // National formats are read as the clinic's line's country (its callers are mostly local).
  const country = countryOfPhone(call.toNumber);
  await insertCallEvents(
    deps.store,
    transcript.map((u) => ({
      id: crypto.randomUUID(),
      tenantId: call.tenantId,
      callId: call.id,
      eventType: 'speech',
      role: u.role,
      transcript: maskPhonesInText(u.text, country),
      toolName: null,
      toolInput: null,
      toolOutput: null,
      occurredAt: u.at,
    })),
  );
}
