// The Node entry swaps in node:crypto for speed; it must be the same cryptography as the
// runtime-neutral Web Crypto code the Worker runs (a database may move between runtimes).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createNodePhoneVault, nodeHmac, nodeSha256Hex, nonceSource } from '../../src/node/crypto.js';
import { randomBytes, toBase64Url, toHex, utf8 } from '../../src/security/encoding.js';
import { createPhoneVault } from '../../src/security/phone-vault.js';
import { type Hash, hmac, verifyHmac } from '../../src/security/signatures.js';

const keys = {
  hashKeys: [
    { version: 2, secret: toBase64Url(randomBytes(32)) },
    { version: 1, secret: toBase64Url(randomBytes(32)) },
  ],
  encryptionKeys: [
    { version: 2, secret: toBase64Url(randomBytes(32)) },
    { version: 1, secret: toBase64Url(randomBytes(32)) },
  ],
};

describe('node:crypto and Web Crypto agree', () => {
  it('SHA-256 digests', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary' }), async (text) => {
        expect(nodeSha256Hex(text)).toBe(toHex(await crypto.subtle.digest('SHA-256', utf8.encode(text))));
      }),
    );
  });

  it('HMACs (SHA-1, SHA-256, SHA-512; text and byte secrets), and webhook signatures checked with either', async () => {
    const hashes: Hash[] = ['SHA-1', 'SHA-256', 'SHA-512'];
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ unit: 'binary', minLength: 1 }), fc.uint8Array({ minLength: 1, maxLength: 80 })),
        fc.string({ unit: 'binary' }),
        fc.constantFrom(...hashes),
        async (key, message, hash) => {
          const secret = typeof key === 'string' ? key : new Uint8Array(key);
          const web = await hmac(secret, message, hash);
          expect(toHex(nodeHmac(secret, message, hash) as Uint8Array)).toBe(toHex(web));
          const flipped = web.slice();
          flipped[0] = flipped[0]! ^ 1;
          for (const mac of [hmac, nodeHmac]) {
            expect(await verifyHmac(secret, message, web, hash, mac)).toBe(true);
            expect(await verifyHmac(secret, message, flipped, hash, mac)).toBe(false);
            expect(await verifyHmac(secret, message, web.slice(0, -1), hash, mac)).toBe(false);
          }
        },
      ),
    );
  });

  it('phone hashes, and each decrypts what the other encrypted', async () => {
    const web = await createPhoneVault(keys);
    const node = createNodePhoneVault(keys);
    for (const phone of ['+351912345678', '+5511987654321', '+14155550123']) {
      for (const tenant of ['tenant-a', 'tenant-b']) {
        expect(await node.hash(phone, tenant)).toBe(await web.hash(phone, tenant));
        for (const legacyPhoneHashes of [true, false]) {
          const scope = { id: tenant, legacyPhoneHashes };
          expect(await node.lookupHashes(phone, scope)).toEqual(await web.lookupHashes(phone, scope));
        }
      }
      expect(await node.legacyHashes(phone)).toEqual(await web.legacyHashes(phone));
      expect(await web.decrypt(await node.encrypt(phone, 't:a'), 't:a')).toBe(phone);
      expect(await node.decrypt(await web.encrypt(phone, 't:a'), 't:a')).toBe(phone);
      await expect(node.decrypt(await web.encrypt(phone, 't:a'), 't:b')).rejects.toThrow();
    }
  });

  it('seals each number under a nonce of its own, across refills of the nonce pool', async () => {
    // A pool of 5 nonces: 200 draws refill it 40 times.
    const nonce = nonceSource(12, 60);
    const drawn = Array.from({ length: 200 }, () => nonce());
    const copies = drawn.map((n) => Buffer.from(n).toString('hex'));
    expect(drawn.every((n) => n.length === 12)).toBe(true);
    expect(new Set(copies).size).toBe(200);
    // A refill leaves the nonces already handed out as they were.
    expect(drawn.map((n) => n.toString('hex'))).toEqual(copies);
    // The vault's own: the nonce is the sealed text's second part.
    const node = createNodePhoneVault(keys);
    const sealed = await Promise.all(Array.from({ length: 500 }, () => node.encrypt('+351912345678', 't:a')));
    expect(new Set(sealed.map((s) => s.split('.')[1])).size).toBe(500);
  });
});
