// Twilio call status callbacks (form-encoded CallSid, From, To, CallStatus, CallDuration, ...), signed
// X-Twilio-Signature = base64(HMAC-SHA1(authToken, the URL Twilio called + each POST parameter's name
// and value, sorted by name)). Twilio signs no timestamp, so no replay window can be enforced here;
// a replayed callback can only re-apply the state it carried (a call closes once).

import { tryBase64, verifyHmac } from '../../security/signatures.js';
import { endCall } from '../call-log.js';
import { type PlatformAdapter, unauthorized } from '../door.js';
import { credentialsOf } from '../integrations.js';
import { openSession } from '../session.js';

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';
const ENDED = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);

/** Twilio's string to sign after the URL: names sorted, repeated names' distinct values sorted. */
function signedParams(params: URLSearchParams): string {
  const byName = new Map<string, Set<string>>();
  for (const [name, value] of params) byName.set(name, (byName.get(name) ?? new Set()).add(value));
  return [...byName.keys()]
    .sort()
    .map((name) =>
      [...byName.get(name)!]
        .sort()
        .map((value) => name + value)
        .join(''),
    )
    .join('');
}

const withPort = (u: URL) =>
  `${u.protocol}//${u.username ? `${u.username}${u.password ? `:${u.password}` : ''}@` : ''}${u.hostname}:${
    u.port || (u.protocol === 'https:' ? '443' : '80')
  }${u.pathname}${u.search}`;

/**
 * The URLs Twilio may have signed: the one this server saw and, behind a proxy or TLS terminator,
 * the one rebuilt from X-Forwarded-Proto/-Host; each with and without an explicit default port.
 * Trusting the forwarded headers gives nothing away: the signature still has to match the token.
 */
function candidateUrls(seen: string, headers: Headers): string[] {
  const urls = [new URL(seen)];
  const proto = headers.get('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  const host = headers.get('x-forwarded-host')?.split(',')[0]?.trim();
  if (proto || host) {
    const scheme = proto === 'https' || proto === 'http' ? `${proto}:` : urls[0]!.protocol;
    try {
      // Rebuilt from scratch: a forwarded host carries its own port (or none), never the internal one.
      urls.push(new URL(urls[0]!.pathname + urls[0]!.search, `${scheme}//${host ?? urls[0]!.host}`));
    } catch {
      // A malformed forwarded host: only the URL seen is a candidate.
    }
  }
  return [...new Set(urls.flatMap((u) => [u.toString(), withPort(u)]))];
}

export const twilio: PlatformAdapter = {
  async webhook({ deps, integration, raw, headers, url }) {
    const { authToken } = await credentialsOf<'twilio'>(deps, integration);
    const signature = tryBase64(headers.get('x-twilio-signature') ?? '');
    if (!signature?.length) throw unauthorized('missing X-Twilio-Signature');
    const params = new URLSearchParams(raw);
    const data = signedParams(params);
    let valid = false;
    // Every candidate is checked (no early exit), each comparison in constant time.
    for (const candidate of candidateUrls(url, headers)) {
      if (await verifyHmac(authToken, candidate + data, signature, 'SHA-1', deps.hmac)) valid = true;
    }
    if (!valid) throw unauthorized('bad X-Twilio-Signature');

    const callSid = params.get('CallSid');
    if (callSid) {
      // On a call the clinic places (outbound-api, outbound-dial) the patient is the number dialled.
      const outbound = params.get('Direction')?.startsWith('outbound') ?? false;
      const session = await openSession(deps, integration, {
        externalCallId: callSid,
        callerRaw: (outbound ? params.get('To') : params.get('From')) ?? null,
        calledRaw: (outbound ? params.get('From') : params.get('To')) ?? null,
      });
      const status = params.get('CallStatus') ?? '';
      if (ENDED.has(status)) {
        const endedAt = Date.parse(params.get('Timestamp') ?? '') || deps.clock.now();
        const duration = /^\d+$/.test(params.get('CallDuration') ?? '')
          ? Number(params.get('CallDuration'))
          : null;
        await endCall(deps, session.call, {
          endedAt,
          startedAt: duration === null ? undefined : endedAt - duration * 1000,
          reason: status,
          status: status === 'completed' ? 'completed' : 'failed',
        });
      }
    }
    return new Response(EMPTY_TWIML, { headers: { 'content-type': 'text/xml' } });
  },
};
