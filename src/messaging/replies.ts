// What a patient's reply does. STOP/PARAR (and their kin) opt the number out of this clinic's
// messages, START opts it back in; the choice is kept per clinic under the number's keyed hash and
// every sender checks it (src/messaging/send.ts). SIM/YES confirm and C/CANCELAR cancel the
// patient's next messaged appointment (`otherReply` below).
import { toTenant } from '../accounts/tenants.js';
import { changeAppointment } from '../booking/change.js';
import { commandContext } from '../booking/context.js';
import type { AnswerFor } from '../booking/outcome.js';
import { setConsent } from '../db/messages.js';
import { replyTarget } from '../db/patient-links.js';
import { findTenant } from '../db/tenants.js';
import type { AppDeps } from '../deps.js';
import type { MessageChannel } from '../domain/message-vocabulary.js';
import { foldText } from '../domain/text.js';

const OPT_OUT = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'END', 'QUIT', 'PARAR', 'SAIR', 'BAJA']);
const OPT_IN = new Set(['START', 'UNSTOP', 'INICIAR', 'ALTA']);

// Confirming is harmless if misread, cancelling frees the slot: so a reply acts only when it is one of
// these words alone (courtesy words after it allowed: "Sim, obrigada"). NO/NÃO never cancel: they
// answer too many questions ("não recebi", "não posso às 10") to be read as "cancel my visit".
const CONFIRM = new Set([
  'SIM',
  'S',
  'SI',
  'YES',
  'Y',
  'CONFIRMO',
  'CONFIRMAR',
  'CONFIRM',
  'CONFIRMADO',
  'CONFIRMADA',
]);
const CANCEL = new Set(['C', 'CANCELAR', 'CANCEL', 'CANCELO', 'ANULAR']);
const COURTESY = new Set([
  'OBRIGADO',
  'OBRIGADA',
  'OBG',
  'GRACIAS',
  'THANKS',
  'THANK',
  'YOU',
  'PLEASE',
  'POR',
  'FAVOR',
  'PF',
]);

export type ReplyOutcome =
  | 'opted_out'
  | 'opted_in'
  /** The reply confirmed or cancelled the patient's next messaged appointment. */
  | 'confirmed'
  | 'cancelled'
  /** A confirm or cancel word, but no appointment it could be about, or the core refused the change. */
  | 'no_appointment'
  | 'unhandled';

/** What a reply asks for about an appointment, if it is unambiguous; null otherwise. */
export function replyIntent(text: string): 'confirm' | 'cancel' | null {
  const words = foldText(text)
    .split(/\s+/)
    .map((w) => w.replace(/[^a-z]/g, '').toUpperCase())
    .filter(Boolean);
  const [first, ...rest] = words;
  if (!first || !rest.every((w) => COURTESY.has(w))) return null;
  return CONFIRM.has(first) ? 'confirm' : CANCEL.has(first) ? 'cancel' : null;
}

/** The reply's keyword: its first word, upper case, accents and punctuation dropped. */
export const keywordOf = (text: string) =>
  foldText(text)
    .trim()
    .split(/\s+/)[0]!
    .replace(/[^a-z]/g, '')
    .toUpperCase();

export async function handleReply(
  deps: AppDeps,
  reply: { tenantId: string; from: string; text: string; channel: MessageChannel },
): Promise<ReplyOutcome> {
  const keyword = keywordOf(reply.text);
  const optedOut = OPT_OUT.has(keyword) ? true : OPT_IN.has(keyword) ? false : null;
  if (optedOut === null) return otherReply(deps, reply);
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
 * Any other reply: a confirm or cancel word acts on the number's next appointment at this clinic
 * that a confirmation, reschedule notice or reminder went to (replyTarget, src/db/patient-links.ts):
 * a reply answers a message, so an appointment never messaged is never touched. Through the core
 * like every door: the confirmation recorded with channel sms_reply or whatsapp_reply, the
 * cancellation with source self_service. A provider's retried webhook changes nothing twice (a
 * second confirm or cancel is a no-op in changeAppointment). Anything else is acknowledged, not kept.
 */
async function otherReply(
  deps: AppDeps,
  reply: { tenantId: string; from: string; text: string; channel: MessageChannel },
): Promise<ReplyOutcome> {
  const intent = replyIntent(reply.text);
  if (!intent) return 'unhandled';
  const tenantRow = await findTenant(deps.store.db, reply.tenantId);
  if (!tenantRow) return 'no_appointment';
  const hashes = await deps.vault.lookupHashes(reply.from, tenantRow);
  const id = await replyTarget(deps.store.db, reply.tenantId, hashes, deps.clock.now());
  if (!id) return 'no_appointment';
  // Nobody reads this answer: it only says whether the change held.
  const answer: AnswerFor = (outcome) => ({
    status: outcome.kind === 'changed' ? 200 : 409,
    body: '',
    location: null,
  });
  const ctx = await commandContext({
    deps,
    tenant: toTenant(tenantRow),
    actor: `reply:${reply.channel}`,
    source: 'self_service',
    answer,
  });
  const { answer: done } = await changeAppointment(
    ctx,
    id,
    intent === 'confirm'
      ? { confirm: true, confirmVia: reply.channel === 'whatsapp' ? 'whatsapp_reply' : 'sms_reply' }
      : { status: 'cancelled' },
  );
  if (done.status !== 200) return 'no_appointment';
  return intent === 'confirm' ? 'confirmed' : 'cancelled';
}
