import { describe, expect, it } from 'vitest';
import { addressForLimits, clientAddress, parseTrustProxy } from '../../src/http/client-address.js';

describe('clientAddress (TRUST_PROXY)', () => {
  it('trusts nothing by default: X-Forwarded-For cannot choose the address', () => {
    const none = parseTrustProxy(undefined);
    expect(clientAddress('203.0.113.9', '198.51.100.1', none)).toBe('203.0.113.9');
    expect(clientAddress('203.0.113.9', undefined, parseTrustProxy('false'))).toBe('203.0.113.9');
  });

  it('with N hops, takes the Nth address from the right of the chain', () => {
    const one = parseTrustProxy('1');
    expect(clientAddress('10.0.0.2', '198.51.100.1', one)).toBe('198.51.100.1');
    // A client that writes its own header only adds entries on the left: the proxy's entry wins.
    expect(clientAddress('10.0.0.2', '1.2.3.4, 198.51.100.1', one)).toBe('198.51.100.1');
    expect(clientAddress('10.0.0.2', '1.2.3.4, 198.51.100.1, 10.0.0.3', parseTrustProxy('2'))).toBe(
      '198.51.100.1',
    );
    expect(clientAddress('10.0.0.2', undefined, one)).toBe('10.0.0.2');
  });

  it('with listed proxies, the client is the rightmost address that is not one of them', () => {
    const listed = parseTrustProxy('loopback, 10.0.0.3');
    expect(clientAddress('127.0.0.1', '1.2.3.4, 198.51.100.1, 10.0.0.3', listed)).toBe('198.51.100.1');
    // A peer that is not a trusted proxy is the client, whatever it claims.
    expect(clientAddress('203.0.113.9', '198.51.100.1', listed)).toBe('203.0.113.9');
  });

  it('refuses a setting it cannot read', () => {
    expect(() => parseTrustProxy('everyone')).toThrow(/TRUST_PROXY/);
  });
});

describe('addressForLimits', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    // One subscriber's /64, however the rest is written: rotating through it gains nothing.
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:DB8:1:2::9', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['not an address', 'not an address'],
    [undefined, 'unknown'],
  ])('%s → %s', (address, counted) => {
    expect(addressForLimits(address)).toBe(counted);
  });
});
