// transfer_to_human: the decision (open now, a number configured) is made here once; each platform
// adapter hands the call over in its own way when the outcome carries `transfer` (Vapi: its live
// call control or the transfer-destination-request answer; Retell: a transfer_number its transfer
// tool reads; OpenAI Realtime SIP: a SIP REFER). Closed or unconfigured, the caller hears when the
// clinic opens (or that nobody can take the call) and is offered a message.

import { openState } from '../../booking/opening-hours.js';
import { languageOf } from '../../domain/language.js';
import { toE164 } from '../../domain/phone.js';
import type { ToolOutcome } from '../run-tool.js';
import type { VoiceSession } from '../session.js';
import { deskSay, sayOpening } from './phrases.js';

export type TransferDecision =
  | { kind: 'transfer'; number: string }
  | { kind: 'closed'; opensAt: number | null }
  | { kind: 'unconfigured' };

/** Whether the call can go to a person now, and where. */
export async function transferDecision(s: VoiceSession): Promise<TransferDecision> {
  const configured = s.tenant.config.fallbackHumanNumber;
  const number = configured ? toE164(configured, s.tenant.country) : null;
  if (!number) return { kind: 'unconfigured' };
  const state = await openState(s.deps, s.tenant, s.deps.clock.now());
  return state.open ? { kind: 'transfer', number } : { kind: 'closed', opensAt: state.opensAt };
}

/** The sentence for a decision; a transfer's outcome carries the number for the adapter. */
export function transferOutcome(s: VoiceSession, decision: TransferDecision): ToolOutcome {
  const lang = languageOf(s.tenant.config.language);
  switch (decision.kind) {
    case 'transfer':
      return {
        ok: true,
        text: deskSay(lang, 'transferring')(),
        outcome: 'transferred_to_human',
        transfer: { number: decision.number },
      };
    case 'closed':
      return {
        ok: false,
        text:
          decision.opensAt === null
            ? deskSay(lang, 'closedNoOpening')()
            : deskSay(
                lang,
                'closedNow',
              )(sayOpening(decision.opensAt, s.deps.clock.now(), s.tenant.config.timezone, lang)),
      };
    case 'unconfigured':
      return { ok: false, text: deskSay(lang, 'noHuman')() };
  }
}

export async function transferTool(s: VoiceSession): Promise<ToolOutcome> {
  return transferOutcome(s, await transferDecision(s));
}

/** What the caller hears when the platform could not hand the call over. */
export const transferFailed = (s: VoiceSession): ToolOutcome => ({
  ok: false,
  text: deskSay(languageOf(s.tenant.config.language), 'transferFailed')(),
});
