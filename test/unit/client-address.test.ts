import { describe, expect, it } from 'vitest';
import { clientAddress, parseTrustProxy } from '../../src/http/client-address.js';

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
