// Twilio: POST {base}/2010-04-01/Accounts/{AccountSid}/Calls.json, form-encoded, HTTP Basic with
// the account SID and auth token. `Url` is the clinic's voice application (its TwiML runs when the
// patient answers); `StatusCallback` is our webhook, so the callback is logged like any Twilio call.
// Twilio answers 201 with the call resource (`sid`, CA…).
//
// fetch rather than the `twilio` SDK: the SDK is built on Node's HTTP stack and the Worker runs
// without Node compatibility; the request is one documented form POST.
import { type Dialer, idIn, postToPlatform } from './dial.js';

export const dialTwilio: Dialer<'twilio'> = async ({ baseUrl, secret, outbound, to, webhookUrl }) => {
  const form = new URLSearchParams({
    To: to,
    From: outbound.fromNumber,
    Url: outbound.twimlUrl,
    StatusCallback: webhookUrl,
    StatusCallbackMethod: 'POST',
  });
  const call = await postToPlatform(
    'twilio',
    `${baseUrl}/2010-04-01/Accounts/${encodeURIComponent(outbound.accountSid)}/Calls.json`,
    {
      headers: {
        authorization: `Basic ${btoa(`${outbound.accountSid}:${secret}`)}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: form.toString(),
    },
  );
  return { externalCallId: idIn('twilio', call.sid) };
};
