// The egress rule on Node: names are resolved here, every address they resolve to is checked, and
// the connection goes to the address that was checked (undici's connector uses our lookup), so a
// name that answers with a public address at registration and 127.0.0.1 at send time (DNS
// rebinding) is still refused. undici's own fetch with its Agent: Node's bundled fetch takes a
// dispatcher too, but only one of the same undici version is guaranteed to work with it.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { Agent, fetch as undiciFetch } from 'undici';
import { type Egress, EgressRefused, isIpLiteral, nonPublicAddress, nonPublicHost } from './egress.js';

/** A clinic's server that does not take the connection within this long is not waited for. */
export const CONNECT_TIMEOUT_MS = 5_000;
/** Registration checks a name's addresses; a resolver that does not answer by then is skipped. */
const REGISTRATION_LOOKUP_MS = 3_000;

/** Why a name's addresses are refused (any one non-public address is enough), or null. */
function refusedAddress(addresses: LookupAddress[]): string | null {
  for (const { address } of addresses) {
    const reason = nonPublicAddress(address);
    if (reason) return `resolves to ${address} (${reason})`;
  }
  return null;
}

/** dns.lookup that fails when any address of the name is not public (also for the sideband's WebSocket). */
export const checkedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 0);
    const refused = refusedAddress(addresses);
    if (refused) return callback(new EgressRefused(hostname, refused), '', 0);
    if ((options as { all?: boolean }).all) {
      return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    }
    callback(null, addresses[0]!.address, addresses[0]!.family);
  });
};

function resolveAll(hostname: string): Promise<LookupAddress[] | null> {
  return new Promise((done) => {
    const timer = setTimeout(() => done(null), REGISTRATION_LOOKUP_MS);
    dnsLookup(hostname, { all: true }, (error, addresses) => {
      clearTimeout(timer);
      done(error ? null : addresses);
    });
  });
}

/** Why a URL may not be connected to now: a literal is never looked up, so it is checked here. */
export function refusedLiteral(url: URL): EgressRefused | null {
  if (!isIpLiteral(url.hostname)) return null;
  const reason = nonPublicAddress(url.hostname);
  return reason ? new EgressRefused(url.hostname, reason) : null;
}

export function nodeEgress(allowPrivate: boolean): Egress {
  const agent = new Agent({
    connect: { timeout: CONNECT_TIMEOUT_MS, ...(allowPrivate ? {} : { lookup: checkedLookup }) },
  });
  return {
    allowPrivate,
    async refusal(url) {
      if (allowPrivate) return null;
      const early = nonPublicHost(url.hostname);
      if (early || isIpLiteral(url.hostname)) return early;
      // A name that does not resolve now is accepted: it is checked again on every connection.
      const addresses = await resolveAll(url.hostname);
      return addresses ? refusedAddress(addresses) : null;
    },
    fetch: async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const refused = allowPrivate ? null : refusedLiteral(url);
      if (refused) throw refused;
      const response = await undiciFetch(url, {
        ...(init as Parameters<typeof undiciFetch>[1]),
        dispatcher: agent,
      });
      return response as unknown as Response;
    },
  };
}
