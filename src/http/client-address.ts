// Which address a request comes from, for per-address limits. Behind a reverse proxy every visitor
// arrives from the proxy's socket, so the client is read from X-Forwarded-For, but only as far as
// the operator said to trust it: a header anyone can write must never choose its own address.
//
// TRUST_PROXY (Node): unset or "false" trusts nothing (the socket's peer is the client); a number N
// trusts N proxy hops in front of the service (the Nth address from the right of the chain); a list
// of addresses ("10.0.0.2,10.0.0.3", "loopback" for 127.0.0.1 and ::1) trusts those proxies, so the
// client is the rightmost address in the chain that is not one of them.

import ipaddr from 'ipaddr.js';

export type TrustProxy = { hops: number } | { addresses: ReadonlySet<string> };

const LOOPBACK = ['127.0.0.1', '::1', '::ffff:127.0.0.1'];

/** Reads TRUST_PROXY; throws on a value it cannot read (a start-up error, never a silent default). */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  const text = (value ?? '').trim();
  if (text === '' || text === 'false' || text === '0') return { hops: 0 };
  if (/^\d+$/.test(text)) return { hops: Number(text) };
  const addresses = new Set<string>();
  for (const part of text.split(',').map((p) => p.trim().toLowerCase())) {
    if (part === 'loopback') for (const a of LOOPBACK) addresses.add(a);
    else if (/^[0-9a-f.:]+$/.test(part) && part.length <= 45) addresses.add(part);
    else throw new Error(`TRUST_PROXY: "${part}" is not a number of hops, an IP address or "loopback"`);
  }
  return { addresses };
}

/** The client's address, given the socket's peer and the X-Forwarded-For header. */
export function clientAddress(
  peer: string | undefined,
  forwardedFor: string | undefined,
  trust: TrustProxy,
): string | undefined {
  const chain = [
    ...(forwardedFor ?? '')
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean),
    ...(peer ? [peer] : []),
  ];
  if ('hops' in trust) return chain[Math.max(0, chain.length - 1 - trust.hops)] ?? peer;
  // Walk from the socket towards the client while the address is a trusted proxy.
  let i = chain.length - 1;
  while (i > 0 && trust.addresses.has(chain[i]!.toLowerCase())) i--;
  return chain[i] ?? peer;
}

/**
 * What per-address limits count: an IPv6 address by its /64, the network one subscriber is given
 * and can rotate through at will (a limit per address would be no limit there); an IPv4 address,
 * also written IPv4-mapped, as itself; anything unreadable as it is.
 */
export function addressForLimits(address: string | undefined): string {
  if (!address) return 'unknown';
  if (!ipaddr.isValid(address)) return address;
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4).map((part) => part.toString(16));
  return `${parts.join(':')}::/64`;
}
