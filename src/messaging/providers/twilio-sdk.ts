// Twilio through its official Node SDK (Node entry only: the SDK needs Node's http, crypto and os,
// so the Worker uses twilio-rest.ts instead). The SDK sends the same request twilio-rest.ts builds;
// TWILIO_API_BASE_URL points its API domain elsewhere (a regional endpoint, a test's stand-in), and
// its own validateRequest checks webhook signatures.
import twilio from 'twilio';
import { TWILIO_API_BASE_URL, twilioAddress } from './twilio-rest.js';
import { describeError, type ProviderClient, providerError, retryable, SEND_TIMEOUT_MS } from './types.js';

interface RestError {
  status?: number;
  code?: number;
  message?: string;
}

export function twilioSdk(baseUrl = TWILIO_API_BASE_URL): ProviderClient<'twilio'> {
  return {
    async send({ accountSid, authToken }, message) {
      // No retries inside the SDK: the outbox retries with its own backoff, and counts attempts.
      const client = twilio(accountSid, authToken, { timeout: SEND_TIMEOUT_MS, autoRetry: false });
      client.api.baseUrl = baseUrl.replace(/\/+$/, '');
      try {
        const sent = await client.messages.create({
          to: twilioAddress(message.channel, message.to),
          from: twilioAddress(message.channel, message.from),
          body: message.body,
          statusCallback: message.statusCallback,
        });
        return { ok: true, providerMessageId: sent.sid };
      } catch (e) {
        const { status, code, message: text } = e as RestError;
        if (typeof status !== 'number') return { ok: false, retry: true, error: describeError(e) };
        return {
          ok: false,
          retry: retryable(status),
          error: providerError('Twilio', status, code, text),
        };
      }
    },
    async verify({ authToken }, { url, headers, raw }) {
      const signature = headers.get('x-twilio-signature');
      if (!signature) return false;
      const params: Record<string, string | string[]> = {};
      for (const [name, value] of new URLSearchParams(raw)) {
        const seen = params[name];
        params[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
      }
      return twilio.validateRequest(authToken, signature, url, params);
    },
  };
}
