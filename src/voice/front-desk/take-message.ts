// take_message: a message or callback request, stored through the core (takeMessage: the request
// and its webhook event in one unit). The tool-call id is the Idempotency-Key, as for bookings: a
// retried call, even several at once, records one request and hears the first answer again.

import { type CallbackOutcome, takeMessage } from '../../booking/callback-requests.js';
import { recordedAnswer } from '../../booking/command.js';
import { AppError } from '../../domain/errors.js';
import { languageOf } from '../../domain/language.js';
import { type ToolOutcome, voiceCommand } from '../run-tool.js';
import type { VoiceSession } from '../session.js';
import type { ToolArgs } from '../tools.js';
import { emergencyAnswer } from './emergency.js';
import { deskSay } from './phrases.js';

export async function takeMessageTool(
  s: VoiceSession,
  a: ToolArgs<'take_message'>,
  toolCallId?: string,
): Promise<ToolOutcome> {
  const lang = languageOf(s.tenant.config.language);
  const urgency = a.urgency ?? 'normal';
  const taken = deskSay(
    lang,
    'messageTaken',
  )(urgency === 'urgent' ? deskSay(lang, 'asSoonAsPossible')() : '');
  const ctx = await voiceCommand<CallbackOutcome>(
    s,
    'take_message',
    a,
    ({ request }) => ({ status: 200, body: taken, location: request.id }),
    toolCallId,
  );
  // A retry hears its first answer, before anything is checked again.
  const previous = await recordedAnswer(ctx).catch(() => null);
  if (previous) return { ok: true, text: previous.answer.body, outcome: 'message_taken' };

  // A red flag in the message is not left for a callback: see emergency.ts.
  const emergency = emergencyAnswer(s, a.reason);
  if (emergency) return emergency;
  const phone = a.callbackPhone ?? s.caller;
  if (!phone) return { ok: false, text: deskSay(lang, 'messageNoNumber')() };
  if (!a.callerName.trim() || !a.reason.trim())
    return { ok: false, text: deskSay(lang, 'messageNeedsWho')() };
  try {
    const result = await takeMessage(ctx, {
      callerName: a.callerName,
      phone,
      reason: a.reason,
      urgency,
      callId: s.call.id,
    });
    return { ok: true, text: result.answer.body, outcome: 'message_taken' };
  } catch (error) {
    if (error instanceof AppError && error.errors.some((e) => e.path === 'phone'))
      return { ok: false, text: deskSay(lang, 'messageBadNumber')() };
    if (error instanceof AppError && error.code !== 'internal_error')
      return { ok: false, text: deskSay(lang, 'busy')() };
    throw error;
  }
}
