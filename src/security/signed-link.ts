// Links that work without an API key for a limited time (a call's recording): the URL carries its
// expiry and an HMAC-SHA256 over what it opens and until when, made with a key only the server
// holds. Nothing is stored; a link stops working at its expiry, or when the key changes.

import { fromBase64, toHex } from './encoding.js';
import { fromHex, hmac, verifyHmac } from './signatures.js';

export interface LinkSigner {
  /** Hex signature of `subject` valid until `expires` (epoch seconds). */
  sign(subject: string, expires: number): Promise<string>;
  /** True when `signature` was made by sign(subject, expires); constant time. */
  verify(subject: string, expires: number, signature: string): Promise<boolean>;
}

/** The purpose label the link key is derived under, so it can never equal another use of the secret. */
export const LINK_KEY_LABEL = 'agendai/signed-links/v1';

const message = (subject: string, expires: number) => `${subject}\n${expires}`;

/**
 * A signer whose key is HMAC-SHA256(secret, LINK_KEY_LABEL): a pseudo-random key of its own, derived
 * from a configured 32-byte secret (base64) without a new variable to set.
 */
export async function createLinkSigner(secretBase64: string): Promise<LinkSigner> {
  const key = await hmac(fromBase64(secretBase64), LINK_KEY_LABEL);
  return {
    sign: async (subject, expires) => toHex(await hmac(key, message(subject, expires))),
    async verify(subject, expires, signature) {
      const bytes = fromHex(signature);
      return bytes !== null && bytes.length === 32 && verifyHmac(key, message(subject, expires), bytes);
    },
  };
}
