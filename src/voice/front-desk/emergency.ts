// Red-flag symptoms on a call: the caller is told to call the emergency number of the clinic's
// country, nothing is booked, and the call records it (outcome `emergency`, visible in GET /v1/calls).
//
// Why both a tool and a check: `report_symptoms` lets the agent ask as soon as a caller describes
// what is wrong, before any talk of times, so the advice comes first. But a model may skip a tool, and
// the reason for a visit often arrives only as book_appointment's `notes` or take_message's `reason`:
// those are checked too, so a red flag never ends in a booking or in a message left for tomorrow. The
// check lives in the voice door, not in bookAppointment: a PMS typing "chest pain last week" into
// an appointment's notes is staff deciding, not a caller in danger.

import { emergencyNumber, redFlagsIn, redFlagsOf } from '../../domain/emergency.js';
import { languageOf } from '../../domain/language.js';
import type { ToolOutcome } from '../run-tool.js';
import type { VoiceSession } from '../session.js';
import type { ToolArgs } from '../tools.js';
import { deskSay } from './phrases.js';

/** The emergency answer when any of `texts` mentions one of the clinic's red flags; else null. */
export function emergencyAnswer(
  s: VoiceSession,
  ...texts: (string | null | undefined)[]
): ToolOutcome | null {
  const flags = redFlagsOf(s.tenant.config.emergencySymptoms);
  const found = texts.flatMap((t) => redFlagsIn(t, flags));
  if (!found.length) return null;
  const lang = languageOf(s.tenant.config.language);
  const number = emergencyNumber(s.tenant.country, s.tenant.config.timezone);
  return { ok: true, text: deskSay(lang, 'emergency')(number), outcome: 'emergency' };
}

export async function reportSymptomsTool(
  s: VoiceSession,
  a: ToolArgs<'report_symptoms'>,
): Promise<ToolOutcome> {
  return (
    emergencyAnswer(s, a.symptoms) ?? {
      ok: true,
      text: deskSay(languageOf(s.tenant.config.language), 'noRedFlags')(),
    }
  );
}
