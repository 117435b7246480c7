// API key tokens: `miv_live_` / `miv_test_` + 43 base64url characters: the clinic's reference (16
// characters, opaque: it names the clinic to a router, it grants nothing) then 27 random ones (162
// bits). Only the SHA-256 of the whole token is stored; a display prefix and the last 4 characters
// identify it.
import { randomBytes, type Sha256Hex, sha256Hex, toBase64Url } from './encoding.js';

export type KeyMode = 'live' | 'test';

export const API_KEY_PATTERN = /^miv_(live|test)_[A-Za-z0-9_-]{43}$/;

export interface IssuedToken {
  token: string;
  hash: string;
  displayPrefix: string;
  last4: string;
}

/** Characters of the clinic's reference at the start of a key's body. */
export const CLINIC_REF_LENGTH = 16;
const CLINIC_REF_PATTERN = /^[A-Za-z0-9_-]{16}$/;

/** Whether `text` has a clinic reference's shape (a router checks before looking it up). */
export const isClinicRef = (text: string) => CLINIC_REF_PATTERN.test(text);

/** A new clinic reference: 12 random bytes, 16 URL-safe characters. */
export const newClinicRef = () => toBase64Url(randomBytes(12));

/** The clinic reference a well-formed key carries (what the Worker routes by), or undefined. */
export function clinicRefOf(token: string): string | undefined {
  if (!API_KEY_PATTERN.test(token)) return undefined;
  return token.slice('miv_live_'.length, 'miv_live_'.length + CLINIC_REF_LENGTH);
}

/** A key of `mode` for the clinic `clinicRef` (keys of clinics without one are random throughout). */
export async function issueToken(mode: KeyMode, clinicRef?: string | null): Promise<IssuedToken> {
  if (clinicRef && !CLINIC_REF_PATTERN.test(clinicRef))
    throw new Error('A clinic reference is 16 URL-safe characters');
  const body = `${clinicRef ?? ''}${toBase64Url(randomBytes(32))}`.slice(0, 43);
  const token = `miv_${mode}_${body}`;
  return {
    token,
    hash: await hashToken(token),
    displayPrefix: token.slice(0, `miv_${mode}_`.length + 4),
    last4: token.slice(-4),
  };
}

/** Lookup by digest: equality on a unique SHA-256 index leaks nothing usable about the secret. */
export const hashToken = (token: string, sha256: Sha256Hex = sha256Hex) => sha256(token);
