// node:crypto versions of the Web Crypto work the hot paths do (API key digest, phone HMAC and
// AES-GCM), byte for byte the same output: synchronous, so no threadpool hop per request. The
// runtime-neutral implementations stay the reference; test/node/crypto-parity.test.ts compares them.
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createSecretKey,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import { fromBase64 } from '../security/encoding.js';
import { clinicHashKeyLabel, type PhoneVault, type PhoneVaultKeys } from '../security/phone-vault.js';
import type { Hmac } from '../security/signatures.js';

export const nodeSha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

const NODE_HASH = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-512': 'sha512' } as const;

export const nodeHmac: Hmac = (secret, message, hash) =>
  createHmac(NODE_HASH[hash], secret).update(message, 'utf8').digest();

/**
 * AES-GCM nonces cut from a pool of random bytes, refilled 4 KiB at a time: one call into OpenSSL's
 * generator per ~340 seals instead of one per seal (1–2% of a booking's request thread). Each nonce
 * is handed out once; a refill leaves the slices already handed out untouched.
 */
export function nonceSource(size: number, poolBytes = 4096) {
  let pool = Buffer.alloc(0);
  let at = 0;
  return (): Buffer => {
    if (at + size > pool.length) {
      pool = randomBytes(poolBytes);
      at = 0;
    }
    at += size;
    return pool.subarray(at - size, at);
  };
}

// Buffer's own base64url: the same text as the runtime-neutral toBase64Url, natively.
const base64Url = (bytes: Buffer) => bytes.toString('base64url');

export function createNodePhoneVault(keys: PhoneVaultKeys): PhoneVault {
  if (keys.hashKeys.length === 0 || keys.encryptionKeys.length === 0) {
    throw new Error('PhoneVault needs at least one hash key and one encryption key');
  }
  // Key objects, made once: given raw bytes, node:crypto wraps them in a new key object on every call
  // (a few percent of a voice booking's time, which hashes the caller's number several times).
  const secretKey = (secret: string) => createSecretKey(Buffer.from(fromBase64(secret)));
  const hmacKeys = keys.hashKeys.map((k) => ({ version: k.version, key: secretKey(k.secret) }));
  const aesKeys = keys.encryptionKeys.map((k) => ({ version: k.version, key: secretKey(k.secret) }));
  type HmacKey = (typeof hmacKeys)[number];
  const clinicKeys = new Map<string, KeyObject>();
  const clinicKey = (k: HmacKey, tenantId: string) => {
    const id = `${k.version}:${tenantId}`;
    let key = clinicKeys.get(id);
    if (!key) {
      key = createSecretKey(
        createHmac('sha256', k.key).update(clinicHashKeyLabel(tenantId), 'utf8').digest(),
      );
      clinicKeys.set(id, key);
    }
    return key;
  };
  const sign = (version: number, key: KeyObject, e164: string) =>
    `v${version}:${createHmac('sha256', key).update(e164, 'utf8').digest('hex')}`;
  const current = aesKeys[0]!;
  const nonce = nonceSource(12);
  return {
    hash: async (e164, tenantId) => sign(hmacKeys[0]!.version, clinicKey(hmacKeys[0]!, tenantId), e164),
    lookupHashes: async (e164, tenant) => [
      ...hmacKeys.map((k) => sign(k.version, clinicKey(k, tenant.id), e164)),
      ...(tenant.legacyPhoneHashes ? hmacKeys.map((k) => sign(k.version, k.key, e164)) : []),
    ],
    legacyHashes: async (e164) => hmacKeys.map((k) => sign(k.version, k.key, e164)),
    async encrypt(e164, context) {
      const iv = nonce();
      const cipher = createCipheriv('aes-256-gcm', current.key, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      // Web Crypto's AES-GCM output is ciphertext followed by the 16-byte tag: the same here.
      const sealed = Buffer.concat([cipher.update(e164, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return `v${current.version}.${base64Url(iv)}.${base64Url(sealed)}`;
    },
    async decrypt(sealed, context) {
      const [version, iv, data] = sealed.split('.');
      const entry = aesKeys.find((k) => `v${k.version}` === version);
      if (!entry || !iv || !data) throw new Error('Unknown phone encryption key version');
      const bytes = Buffer.from(fromBase64(data));
      const decipher = createDecipheriv('aes-256-gcm', entry.key, Buffer.from(fromBase64(iv)));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(bytes.subarray(bytes.length - 16));
      return Buffer.concat([
        decipher.update(bytes.subarray(0, bytes.length - 16)),
        decipher.final(),
      ]).toString('utf8');
    },
  };
}
