// What a patient's reply does. STOP/PARAR (and their kin) opt the number out of this clinic's
// messages, START opts it back in; the choice is kept per clinic under the number's keyed hash and
// every sender checks it (src/messaging/send.ts). Confirming or cancelling by reply (SIM/C...) needs
// the appointment's confirmation record and comes next: `otherReply` below is where it plugs in.
import { setConsent } from '../db/messages.js';
import type { AppDeps } from '../deps.js';
import { foldText } from '../domain/text.js';

const OPT_OUT = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'END', 'QUIT', 'PARAR', 'SAIR', 'BAJA']);
const OPT_IN = new Set(['START', 'UNSTOP', 'INICIAR', 'ALTA']);

export type ReplyOutcome = 'opted_out' | 'opted_in' | 'unhandled';

/** The reply's keyword: its first word, upper case, accents and punctuation dropped. */
export const keywordOf = (text: string) =>
  foldText(text)
    .trim()
    .split(/\s+/)[0]!
    .replace(/[^a-z]/g, '')
    .toUpperCase();

export async function handleReply(
  deps: AppDeps,
  reply: { tenantId: string; from: string; text: string },
): Promise<ReplyOutcome> {
  const keyword = keywordOf(reply.text);
  const optedOut = OPT_OUT.has(keyword) ? true : OPT_IN.has(keyword) ? false : null;
  if (optedOut === null) return otherReply();
  await setConsent(deps.store.db, {
    tenantId: reply.tenantId,
    phoneHash: await deps.vault.hash(reply.from, reply.tenantId),
    optedOut,
    keyword,
    now: deps.clock.now(),
  });
  return optedOut ? 'opted_out' : 'opted_in';
}

/**
 * Any other reply. Hook for issue 14's reply confirmations: match the number's hash to its next
 * appointment and record "confirmed by SMS reply" on the confirmation record (being added to the
 * core), or cancel through changeAppointment. Until then it is acknowledged and not kept.
 */
const otherReply = async (): Promise<ReplyOutcome> => 'unhandled';
