// Telnyx Call Control dial: POST {base}/v2/calls with the API key as a Bearer token. The call's
// events then reach the Call Control application's own webhook (connection_id), as inbound calls
// do. `client_state` (base64, echoed on every event) carries our callback id.
//
// fetch rather than the `telnyx` SDK: one JSON POST, and the SDK would add weight to the Worker
// bundle for nothing else we call.
import { type Dialer, idIn, postToPlatform } from './dial.js';

export const dialTelnyx: Dialer<'telnyx'> = async ({ baseUrl, secret, outbound, to, callbackId }) => {
  const answer = await postToPlatform('telnyx', `${baseUrl}/v2/calls`, {
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      connection_id: outbound.connectionId,
      to,
      from: outbound.fromNumber,
      client_state: btoa(`agendai-callback:${callbackId}`),
    }),
  });
  const data = answer.data as Record<string, unknown> | undefined;
  return { externalCallId: idIn('telnyx', data?.call_control_id) };
};
