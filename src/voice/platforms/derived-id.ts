// A tool-call id for platforms that send none (Retell custom functions, ElevenLabs server tools).
//
// Both platforms re-send a tool request that timed out or failed, and the retry must not book twice.
// What a retry repeats exactly is the platform call, the tool and its arguments, so the id is a hash
// of those (arguments canonicalised: key order and missing-vs-null do not matter).
//
// A hash alone would also merge two deliberate, identical requests of one call: book 10:00, cancel it,
// book 10:00 again would replay the first "booked" answer for an appointment that is now cancelled.
// So a write's id also counts the successful writes of OTHER requests this call has already made
// (its "epoch"): a retry sees the same count (nothing else ran while the platform waited on it), while
// a deliberate repeat after any other change gets a new id and really runs.
import { listCallEvents } from '../../db/voice.js';
import type { VoiceSession } from '../session.js';
import { isToolName, parseToolArgs } from '../tools.js';

const WRITES = new Set(['book_appointment', 'cancel_appointment', 'reschedule_appointment', 'take_message']);
const PREFIX = 'derived:';

/** JSON with object keys sorted at every level. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** Read the tool-call ids recorded on this call's successful write events. */
async function successfulWrites(s: VoiceSession): Promise<string[]> {
  const events = await listCallEvents(s.deps.store.db, s.tenant.id, s.call.id);
  return events.flatMap((e) => {
    if (e.eventType !== 'tool_call' || !WRITES.has(e.toolName ?? '') || !e.toolOutput) return [];
    const output = e.toolOutput as { ok?: boolean; toolCallId?: string | null };
    return output.ok ? [output.toolCallId ?? ''] : [];
  });
}

/** The stable id of a tool request that carries none: the same for a retry, new for a deliberate repeat. */
export async function derivedToolCallId(s: VoiceSession, name: string, rawArgs: unknown): Promise<string> {
  const parsed = isToolName(name) ? parseToolArgs(name, rawArgs) : { error: '' };
  const args = 'error' in parsed ? rawArgs : parsed;
  const base = (await s.deps.sha256Hex([s.call.id, s.caller ?? '', name, canonical(args)].join('\n'))).slice(
    0,
    32,
  );
  if (!WRITES.has(name)) return `${PREFIX}${base}`;
  const own = `${PREFIX}${base}:`;
  const epoch = (await successfulWrites(s)).filter((id) => !id.startsWith(own)).length;
  return `${own}${epoch}`;
}
