// Vapi's two native ways to hand a call to a person, both fed by front-desk/transfer.ts's decision:
// - our transfer_to_human function tool: Vapi puts the call's live-control URL in every tool call
//   (message.call.monitor.controlUrl); a `transfer` control message moves the call to the number;
// - Vapi's own transferCall tool with no destinations: Vapi asks the server URL with a
//   `transfer-destination-request` and dials the destination it is answered (or speaks its error).
import type { AppDeps } from '../../deps.js';
import { errorMessage } from '../../domain/errors.js';
import type { ToolOutcome } from '../run-tool.js';
import type { VoiceSession } from '../session.js';
import { transferDecision, transferFailed, transferOutcome } from './transfer.js';

/** Sends Vapi's `transfer` control message; the tool's answer says so, or that it failed. */
export async function transferOverControlUrl(
  deps: AppDeps,
  s: VoiceSession,
  controlUrl: string | undefined,
  outcome: ToolOutcome,
): Promise<ToolOutcome> {
  if (!outcome.transfer) return outcome;
  if (!controlUrl) return outcome; // no live control (web call): the agent's own transferCall may still act
  try {
    const url = new URL(controlUrl);
    // The URL comes in the (authenticated) payload; it is still only ever a public HTTPS address.
    if (url.protocol !== 'https:' && !deps.egress.allowPrivate) throw new Error('not https');
    const reply = await deps.egress.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'transfer',
        destination: { type: 'number', number: outcome.transfer.number },
        content: outcome.text,
      }),
      redirect: 'manual',
      signal: AbortSignal.timeout(5_000),
    });
    if (!reply.ok) throw new Error(`status ${reply.status}`);
    return outcome;
  } catch (error) {
    deps.logger.warn('vapi_transfer_failed', {
      callId: s.call.id,
      error: errorMessage(error),
    });
    return transferFailed(s);
  }
}

/** The answer to a transfer-destination-request: the reception's number, or why not (spoken). */
export async function transferDestination(s: VoiceSession) {
  const outcome = transferOutcome(s, await transferDecision(s));
  return {
    outcome,
    body: outcome.transfer
      ? { destination: { type: 'number', number: outcome.transfer.number, message: outcome.text } }
      : { error: outcome.text },
  };
}
