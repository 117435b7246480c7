// Telnyx Messaging over fetch, as Telnyx documents API v2: POST {base}/v2/messages with a Bearer API
// key and JSON {from, to, text, webhook_url, messaging_profile_id?}; the answer's data.id names the
// message. Errors come as {errors: [{code, title, detail}]}. Webhooks are signed with Ed25519 over
// "{telnyx-timestamp}|{body}" (header telnyx-signature-ed25519), checked against the account's public
// key and a 5-minute window. Both runtimes use this client (see docs/architecture.md on the SDK).
import { fresh, TOLERANCE_MS, verifyEd25519 } from '../../security/signatures.js';
import { describeError, type ProviderClient, providerError, retryable, SEND_TIMEOUT_MS } from './types.js';

export const TELNYX_API_BASE_URL = 'https://api.telnyx.com';

interface TelnyxAnswer {
  data?: { id?: string };
  errors?: { code?: string; title?: string; detail?: string }[];
}

export function telnyxRest(
  baseUrl = TELNYX_API_BASE_URL,
  fetcher: typeof fetch = fetch,
): ProviderClient<'telnyx'> {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    async send({ apiKey, messagingProfileId }, message) {
      if (message.channel !== 'sms')
        return { ok: false, retry: false, error: 'Telnyx carries SMS only here' };
      let response: Response;
      try {
        response = await fetcher(`${base}/v2/messages`, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${apiKey}`,
            'Content-Type': 'application/json',
            Accept: 'application/json',
          },
          body: JSON.stringify({
            from: message.from,
            to: message.to,
            text: message.body,
            ...(message.statusCallback ? { webhook_url: message.statusCallback } : {}),
            ...(messagingProfileId ? { messaging_profile_id: messagingProfileId } : {}),
          }),
          redirect: 'manual',
          signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
        });
      } catch (e) {
        return { ok: false, retry: true, error: describeError(e) };
      }
      const answer = (await response.json().catch(() => ({}))) as TelnyxAnswer;
      if (response.ok && answer.data?.id) return { ok: true, providerMessageId: answer.data.id };
      const first = answer.errors?.[0];
      return {
        ok: false,
        retry: retryable(response.status),
        error: providerError(
          'Telnyx',
          response.status,
          first?.code,
          [first?.title, first?.detail].filter(Boolean).join(': '),
        ),
      };
    },
    async verify({ publicKey }, { headers, raw, now }) {
      const timestamp = headers.get('telnyx-timestamp') ?? '';
      const signature = headers.get('telnyx-signature-ed25519') ?? '';
      if (!/^\d{1,12}$/.test(timestamp) || !fresh(timestamp, now, TOLERANCE_MS)) return false;
      return verifyEd25519(publicKey, `${timestamp}|${raw}`, signature);
    },
  };
}
