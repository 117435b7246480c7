// Twilio Programmable Messaging spoken over fetch, as Twilio documents its REST API: POST
// {base}/2010-04-01/Accounts/{AccountSid}/Messages.json with HTTP Basic (Account SID, auth token) and
// form fields To, From, Body, StatusCallback; WhatsApp numbers carry a "whatsapp:" prefix. Webhooks
// are signed in X-Twilio-Signature: base64 HMAC-SHA1 (auth token) of the URL followed by every form
// field's name and value, names sorted. Used on Workers, where the official SDK does not run.
import { tryBase64, verifyHmac } from '../../security/signatures.js';
import {
  describeError,
  type OutgoingMessage,
  type ProviderClient,
  providerError,
  retryable,
  SEND_TIMEOUT_MS,
} from './types.js';

export const TWILIO_API_BASE_URL = 'https://api.twilio.com';

/** The address as Twilio wants it on the channel: WhatsApp numbers are prefixed. */
export const twilioAddress = (channel: OutgoingMessage['channel'], number: string) =>
  channel === 'whatsapp' && !number.startsWith('whatsapp:') ? `whatsapp:${number}` : number;

/** The string Twilio signs for a form POST: the URL, then each field's name and value, sorted by name (then value). */
export function twilioSignedData(url: string, raw: string): string {
  const params = [...new URLSearchParams(raw)];
  const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  params.sort(([a, x], [b, y]) => order(a, b) || order(x, y));
  return url + params.map(([k, v]) => k + v).join('');
}

export async function verifyTwilioSignature(authToken: string, url: string, headers: Headers, raw: string) {
  const signature = tryBase64(headers.get('x-twilio-signature') ?? '');
  if (!signature?.length) return false;
  return verifyHmac(authToken, twilioSignedData(url, raw), signature, 'SHA-1');
}

export function twilioRest(
  baseUrl = TWILIO_API_BASE_URL,
  fetcher: typeof fetch = fetch,
): ProviderClient<'twilio'> {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    async send({ accountSid, authToken }, message) {
      const form = new URLSearchParams({
        To: twilioAddress(message.channel, message.to),
        From: twilioAddress(message.channel, message.from),
        Body: message.body,
      });
      if (message.statusCallback) form.set('StatusCallback', message.statusCallback);
      let response: Response;
      try {
        response = await fetcher(`${base}/2010-04-01/Accounts/${accountSid}/Messages.json`, {
          method: 'POST',
          headers: {
            Authorization: `Basic ${btoa(`${accountSid}:${authToken}`)}`,
            'Content-Type': 'application/x-www-form-urlencoded',
            Accept: 'application/json',
          },
          body: form.toString(),
          redirect: 'manual',
          signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
        });
      } catch (e) {
        return { ok: false, retry: true, error: describeError(e) };
      }
      const answer = (await response.json().catch(() => ({}))) as {
        sid?: string;
        code?: number;
        message?: string;
      };
      if (response.ok && answer.sid) return { ok: true, providerMessageId: answer.sid };
      return {
        ok: false,
        retry: retryable(response.status),
        error: providerError('Twilio', response.status, answer.code, answer.message),
      };
    },
    verify: ({ authToken }, request) =>
      verifyTwilioSignature(authToken, request.url, request.headers, request.raw),
  };
}
