// OpenAI Realtime over SIP hands a call to a person with a SIP REFER (`realtime.calls.refer`): the
// caller's leg is sent to the reception's number and leaves the model. Fed by front-desk/transfer.ts.
import type OpenAI from 'openai';
import { errorMessage } from '../../domain/errors.js';
import type { ToolOutcome } from '../run-tool.js';
import type { VoiceSession } from '../session.js';
import { transferFailed } from './transfer.js';

export async function referCall(
  client: OpenAI,
  callId: string,
  s: VoiceSession,
  outcome: ToolOutcome,
): Promise<ToolOutcome> {
  if (!outcome.transfer) return outcome;
  try {
    await client.realtime.calls.refer(callId, { target_uri: `tel:${outcome.transfer.number}` });
    return outcome;
  } catch (error) {
    s.deps.logger.warn('openai_refer_failed', {
      callId: s.call.id,
      error: errorMessage(error),
    });
    return transferFailed(s);
  }
}
