// Where the service may connect on a clinic's behalf (webhook endpoints, an OpenAI-compatible
// baseURL): public internet addresses only, so that a clinic cannot point us at our own loopback,
// the cloud metadata service or a private network (SSRF). Runtime-neutral; each runtime builds an
// `Egress` (Node resolves names and checks every address it connects to; Workers have no DNS).
//
// ipaddr.js classifies addresses: WHATWG URL parsing already turns 2130706433, 0x7f000001,
// 0177.0.0.1 and 127.1 into 127.0.0.1, but IPv6 forms ([::ffff:7f00:1], NAT64, 6to4) and the
// special ranges are a table best kept by a library than by hand.
import ipaddr from 'ipaddr.js';
import { fieldInvalid } from '../domain/errors.js';

/** Names that never lead to the public internet, whatever a resolver says. */
const LOCAL_SUFFIXES = ['localhost', 'local', 'internal', 'localdomain', 'home.arpa', 'lan'];

/** Why an IP address is not a public destination, or null when it is one. */
export function nonPublicAddress(text: string): string | null {
  const bare = text.replace(/^\[|\]$/g, '');
  if (!ipaddr.isValid(bare)) return 'not an IP address';
  // process() turns ::ffff:a.b.c.d into a.b.c.d, so a mapped loopback is judged as loopback.
  const range = ipaddr.process(bare).range();
  // Allow-list: only plain unicast is public; every special range (loopback, private, link-local,
  // carrier-grade NAT, unique-local, multicast, unspecified, reserved, NAT64, 6to4...) is not.
  return range === 'unicast' ? null : range;
}

/** An IP literal (in any spelling the URL parser accepts) or a name, as in `URL.hostname`. */
const isIpLiteral = (hostname: string) => ipaddr.isValid(hostname.replace(/^\[|\]$/g, ''));

/**
 * Why a URL's host is not a public destination before any DNS lookup (literals and special
 * names), or null when it may be one.
 */
export function nonPublicHost(hostname: string): string | null {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (isIpLiteral(host)) return nonPublicAddress(host);
  if (!host.includes('.')) return 'a single-label name';
  if (LOCAL_SUFFIXES.some((s) => host === s || host.endsWith(`.${s}`))) return 'a local name';
  return null;
}

export { isIpLiteral };

/** What a runtime provides to reach clinic-chosen URLs safely. */
export interface Egress {
  /** WEBHOOKS_ALLOW_PRIVATE_TARGETS: development and tests may reach this machine and private networks. */
  allowPrivate: boolean;
  /** Why the URL may not be used (a non-public literal, or a name resolving to one), or null. */
  refusal(url: URL): Promise<string | null>;
  /**
   * fetch that connects only to public addresses: a literal is checked before, a name's addresses
   * are checked when resolved and the connection goes to the checked address (no DNS rebinding).
   */
  fetch: typeof fetch;
}

/** Thrown (as a TypeError, like fetch's network errors) when a connection is refused by the rule. */
export class EgressRefused extends TypeError {
  constructor(host: string, reason: string) {
    super(`Refused to connect to ${host}: ${reason}; only public internet addresses are allowed`);
    this.name = 'EgressRefused';
  }
}

/**
 * Checks a clinic-supplied URL at configuration time; returns it normalised, or throws a
 * validation error on `field`. https only, except plain http to this machine when private targets
 * are allowed (local development).
 */
export async function checkEgressUrl(egress: Egress, text: string, field: string): Promise<string> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw fieldInvalid(field, 'Not a URL');
  }
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local && egress.allowPrivate))
    throw fieldInvalid(field, 'Use an https:// URL');
  if (url.username || url.password)
    throw fieldInvalid(field, 'No credentials in the URL; verify our signature instead');
  const reason = await egress.refusal(url);
  if (reason)
    throw fieldInvalid(field, `${url.hostname}: ${reason}; only public internet addresses are allowed`);
  return url.toString();
}

/** The Workers rule (no DNS there): literals and special names only; the platform resolves the rest. */
export function literalEgress(allowPrivate: boolean, base: typeof fetch = fetch): Egress {
  const refusal = async (url: URL) => (allowPrivate ? null : nonPublicHost(url.hostname));
  return {
    allowPrivate,
    refusal,
    fetch: async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const reason = await refusal(url);
      if (reason) throw new EgressRefused(url.hostname, reason);
      return base(input, init);
    },
  };
}
