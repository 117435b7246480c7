// Vapi: POST {base}/call with the private API key as a Bearer token; the assistant and the phone
// number are Vapi ids, the patient is `customer.number`. Vapi answers 201 with the call (its `id`).
import { type Dialer, idIn, postToPlatform } from './dial.js';

export const dialVapi: Dialer<'vapi'> = async ({ baseUrl, secret, outbound, to }) => {
  const call = await postToPlatform('vapi', `${baseUrl}/call`, {
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      assistantId: outbound.assistantId,
      phoneNumberId: outbound.phoneNumberId,
      customer: { number: to },
    }),
  });
  return { externalCallId: idIn('vapi', call.id) };
};
