// Retell: create-phone-call through the official retell-sdk (POST {base}/v2/create-phone-call,
// Bearer API key). Retell dials from `from_number` with that number's outbound agent unless
// `override_agent_id` names another; `metadata` comes back on the call's webhooks.
import Retell from 'retell-sdk';
import { DIAL_TIMEOUT_MS, type Dialer, idIn, platformError, reasonOf } from './dial.js';

export const dialRetell: Dialer<'retell'> = async ({ baseUrl, secret, outbound, to, callbackId, callId }) => {
  // No SDK retries: a create retried after a lost answer could ring the patient twice.
  const client = new Retell({ apiKey: secret, baseURL: baseUrl, maxRetries: 0, timeout: DIAL_TIMEOUT_MS });
  try {
    const call = await client.call.createPhoneCall({
      from_number: outbound.fromNumber,
      to_number: to,
      ...(outbound.agentId ? { override_agent_id: outbound.agentId } : {}),
      metadata: { agendaiCallbackId: callbackId, agendaiCallId: callId },
    });
    return { externalCallId: idIn('retell', call.call_id) };
  } catch (error) {
    if (error instanceof Retell.APIError) {
      throw platformError('retell', error.status ?? null, reasonOf(error.error, error.message));
    }
    throw error;
  }
};
