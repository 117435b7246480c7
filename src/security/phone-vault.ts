// Patient phone numbers at rest: a keyed, versioned HMAC for lookups and AES-256-GCM ciphertext for
// the rare case the number is needed (callbacks, SMS). Plain SHA-256 of a phone number is reversible
// by enumerating a country's ~10^10 numbers, hence the secret key. Keys never live in the database.
//
// Each clinic hashes with its own key, derived from the configured one (clinicHashKey below), so the
// same patient has unrelated hashes in two clinics: a hash handed to one clinic's PMS cannot be
// matched against another's. Hashes made before that (with the configured key itself, the "legacy"
// hash) are still matched by lookups in a clinic whose rows may hold them, until the re-hash job
// (src/accounts/phone-rehash.ts) has rewritten them; the format stays `v<key version>:<hex>` and key
// rotation works as before (the first key hashes, every key matches).
import { fromBase64, randomBytes, toBase64Url, toHex, utf8 } from './encoding.js';

export interface VersionedKey {
  version: number;
  /** 32 random bytes, base64 or base64url. */
  secret: string;
}

export interface PhoneVaultKeys {
  /** Newest first: the first key hashes and encrypts; the others still match lookups (rotation). */
  hashKeys: VersionedKey[];
  encryptionKeys: VersionedKey[];
}

export interface PhoneVault {
  /** `v<version>:<hex HMAC-SHA256>` of an E.164 number with the clinic's key derived from the current key. */
  hash(e164: string, tenantId: string): Promise<string>;
  /**
   * Every hash the number may be stored under in this clinic: the clinic's hash under each active key
   * (rotation), then, while the clinic's rows may still hold them (`legacyPhoneHashes`), the legacy
   * shared hash under each key (rows written before per-clinic keys).
   */
  lookupHashes(e164: string, tenant: HashScope): Promise<string[]>;
  /** The legacy shared hash under each key: what the re-hash job looks for in stored rows. */
  legacyHashes(e164: string): Promise<string[]>;
  /** `v<version>.<iv>.<ciphertext>`; `context` (tenant + record id) is bound as associated data. */
  encrypt(e164: string, context: string): Promise<string>;
  decrypt(sealed: string, context: string): Promise<string>;
}

/** Which clinic a lookup is for, and whether its rows may still hold legacy shared hashes. */
export interface HashScope {
  id: string;
  legacyPhoneHashes: boolean;
}

/**
 * What a clinic's hash key is derived from: its key is HMAC-SHA256(configured key, this label), a PRF
 * output as good as a random key, different for every clinic and unknown without the configured key.
 */
export const clinicHashKeyLabel = (tenantId: string) => `agendai/phone-hash/clinic/${tenantId}`;

export async function createPhoneVault(keys: PhoneVaultKeys): Promise<PhoneVault> {
  if (keys.hashKeys.length === 0 || keys.encryptionKeys.length === 0) {
    throw new Error('PhoneVault needs at least one hash key and one encryption key');
  }
  const hmacKeys = await Promise.all(
    keys.hashKeys.map(async (k) => ({
      version: k.version,
      key: await crypto.subtle.importKey(
        'raw',
        fromBase64(k.secret),
        { name: 'HMAC', hash: 'SHA-256' },
        false,
        ['sign'],
      ),
    })),
  );
  const aesKeys = await Promise.all(
    keys.encryptionKeys.map(async (k) => ({
      version: k.version,
      key: await crypto.subtle.importKey('raw', fromBase64(k.secret), 'AES-GCM', false, [
        'encrypt',
        'decrypt',
      ]),
    })),
  );
  type HmacKey = (typeof hmacKeys)[number];
  const clinicKeys = new Map<string, Promise<CryptoKey>>();
  const clinicKey = (k: HmacKey, tenantId: string) => {
    const id = `${k.version}:${tenantId}`;
    let key = clinicKeys.get(id);
    if (!key) {
      key = crypto.subtle
        .sign('HMAC', k.key, utf8.encode(clinicHashKeyLabel(tenantId)))
        .then((raw) =>
          crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']),
        );
      clinicKeys.set(id, key);
    }
    return key;
  };
  const sign = async (version: number, key: CryptoKey, e164: string) =>
    `v${version}:${toHex(await crypto.subtle.sign('HMAC', key, utf8.encode(e164)))}`;
  const hashWith = async (k: HmacKey, e164: string, tenantId: string) =>
    sign(k.version, await clinicKey(k, tenantId), e164);
  const currentAes = aesKeys[0]!;

  return {
    hash: (e164, tenantId) => hashWith(hmacKeys[0]!, e164, tenantId),
    lookupHashes: (e164, tenant) =>
      Promise.all([
        ...hmacKeys.map((k) => hashWith(k, e164, tenant.id)),
        ...(tenant.legacyPhoneHashes ? hmacKeys.map((k) => sign(k.version, k.key, e164)) : []),
      ]),
    legacyHashes: (e164) => Promise.all(hmacKeys.map((k) => sign(k.version, k.key, e164))),
    async encrypt(e164, context) {
      const iv = randomBytes(12);
      const sealed = await crypto.subtle.encrypt(
        { name: 'AES-GCM', iv, additionalData: utf8.encode(context) },
        currentAes.key,
        utf8.encode(e164),
      );
      return `v${currentAes.version}.${toBase64Url(iv)}.${toBase64Url(new Uint8Array(sealed))}`;
    },
    async decrypt(sealed, context) {
      const [version, iv, data] = sealed.split('.');
      const entry = aesKeys.find((k) => `v${k.version}` === version);
      if (!entry || !iv || !data) throw new Error('Unknown phone encryption key version');
      const plain = await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: fromBase64(iv), additionalData: utf8.encode(context) },
        entry.key,
        fromBase64(data),
      );
      return new TextDecoder().decode(plain);
    },
  };
}
