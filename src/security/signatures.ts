// Webhook verification with Web Crypto (the same on Node and Workers): HMAC and Ed25519 checks on the
// raw body bytes, constant-time comparisons, and a timestamp window against replays.
import { fromBase64, type Sha256Hex, sha256Hex, toHex, utf8 } from './encoding.js';

export const TOLERANCE_MS = 5 * 60_000;

export type Hash = 'SHA-256' | 'SHA-512' | 'SHA-1';

/** An HMAC: Web Crypto's (`hmac` below), or the runtime's own that agrees (AppDeps.hmac). */
export type Hmac = (
  secret: Uint8Array<ArrayBuffer> | string,
  message: string,
  hash: Hash,
) => Uint8Array | Promise<Uint8Array>;

const hmacKey = (secret: Uint8Array<ArrayBuffer> | string, hash: Hash) =>
  crypto.subtle.importKey(
    'raw',
    typeof secret === 'string' ? utf8.encode(secret) : secret,
    { name: 'HMAC', hash },
    false,
    ['sign', 'verify'],
  );

export async function hmac(
  secret: Uint8Array<ArrayBuffer> | string,
  message: string,
  hash: Hash = 'SHA-256',
) {
  return new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(secret, hash), utf8.encode(message)));
}

/**
 * Checks a signature given as bytes, comparing without an early exit. `mac` is the runtime's HMAC
 * where the caller has it (AppDeps.hmac: synchronous on Node, where Web Crypto's is a threadpool hop;
 * platforms sign every webhook).
 */
export async function verifyHmac(
  secret: Uint8Array<ArrayBuffer> | string,
  message: string,
  signature: Uint8Array<ArrayBuffer>,
  hash: Hash = 'SHA-256',
  mac: Hmac = hmac,
): Promise<boolean> {
  const expected = await mac(secret, message, hash);
  let diff = expected.length ^ signature.length;
  for (let i = 0; i < expected.length; i++) diff |= expected[i]! ^ (signature[i] ?? 0);
  return diff === 0;
}

export function fromHex(hex: string): Uint8Array<ArrayBuffer> | null {
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(hex)) return null;
  return Uint8Array.from(hex.match(/../g)!, (b) => Number.parseInt(b, 16));
}

export function tryBase64(text: string): Uint8Array<ArrayBuffer> | null {
  try {
    return fromBase64(text);
  } catch {
    return null;
  }
}

/**
 * Equality of two secrets without an early exit: both are hashed, then every byte compared. `sha256`
 * is the runtime's digest where the caller has it (AppDeps.sha256Hex: synchronous on Node, where Web
 * Crypto's is a threadpool hop; a voice platform's secret is checked on every tool call).
 */
export async function secretsEqual(a: string, b: string, sha256: Sha256Hex = sha256Hex): Promise<boolean> {
  const [left, right] = await Promise.all([sha256(a), sha256(b)]);
  let diff = 0;
  for (let i = 0; i < left.length; i++) diff |= left.charCodeAt(i) ^ right.charCodeAt(i);
  return diff === 0;
}

/** A timestamp (seconds or milliseconds since the epoch) within the window of `now`. */
export function fresh(
  timestamp: string | number | undefined | null,
  now: number,
  tolerance = TOLERANCE_MS,
  unit: 's' | 'ms' = 's',
) {
  const value = Number(timestamp);
  if (!Number.isFinite(value) || value <= 0) return false;
  const ms = unit === 's' ? value * 1000 : value;
  return Math.abs(now - ms) <= tolerance;
}

export async function verifyEd25519(
  publicKeyBase64: string,
  message: string,
  signatureBase64: string,
): Promise<boolean> {
  const key = tryBase64(publicKeyBase64);
  const signature = tryBase64(signatureBase64);
  if (!key || !signature) return false;
  try {
    const imported = await crypto.subtle.importKey('raw', key, { name: 'Ed25519' }, false, ['verify']);
    return await crypto.subtle.verify({ name: 'Ed25519' }, imported, signature, utf8.encode(message));
  } catch {
    return false;
  }
}

export { toHex };
