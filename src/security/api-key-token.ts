// API key tokens: `miv_live_` / `miv_test_` + 32 random bytes (base64url, 43 characters).
// Only the SHA-256 of the token is stored; a display prefix and the last 4 characters identify it.
import { randomBytes, type Sha256Hex, sha256Hex, toBase64Url } from './encoding.js';

export type KeyMode = 'live' | 'test';

export const API_KEY_PATTERN = /^miv_(live|test)_[A-Za-z0-9_-]{43}$/;

export interface IssuedToken {
  token: string;
  hash: string;
  displayPrefix: string;
  last4: string;
}

export async function issueToken(mode: KeyMode): Promise<IssuedToken> {
  const token = `miv_${mode}_${toBase64Url(randomBytes(32))}`;
  return {
    token,
    hash: await hashToken(token),
    displayPrefix: token.slice(0, `miv_${mode}_`.length + 4),
    last4: token.slice(-4),
  };
}

/** Lookup by digest: equality on a unique SHA-256 index leaks nothing usable about the secret. */
export const hashToken = (token: string, sha256: Sha256Hex = sha256Hex) => sha256(token);
