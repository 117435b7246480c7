// Byte helpers shared by the crypto modules (Web Crypto only: runs on Node and Workers alike).
export const utf8 = new TextEncoder();

export function toHex(bytes: ArrayBuffer | Uint8Array): string {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
}

export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const normal = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(normal + '='.repeat((4 - (normal.length % 4)) % 4));
  return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
}

export function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(length));
}

/**
 * A SHA-256 digest as hex. Web Crypto's is async everywhere, and on Node each call is a threadpool
 * round trip; every request hashes its API key, so the Node entry hands node:crypto's synchronous
 * digest to the app through its deps (AppDeps.sha256Hex; test/node/crypto-parity.test.ts proves
 * they agree). Nothing here is swapped at run time.
 */
export type Sha256Hex = (text: string) => string | Promise<string>;

/** The runtime-neutral digest (Web Crypto). */
export async function sha256Hex(text: string): Promise<string> {
  return toHex(await crypto.subtle.digest('SHA-256', utf8.encode(text)));
}
