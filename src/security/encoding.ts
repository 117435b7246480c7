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

type Sha256 = (text: string) => string | Promise<string>;

const webSha256: Sha256 = async (text) => toHex(await crypto.subtle.digest('SHA-256', utf8.encode(text)));
let sha256: Sha256 = webSha256;

/**
 * Lets a runtime install a faster SHA-256 with the same result. Web Crypto is async everywhere; on
 * Node each call is a threadpool round trip, and every request hashes its API key. The Node entry
 * installs node:crypto's synchronous digest (test/node/crypto-parity.test.ts proves they agree).
 */
export const installSha256 = (impl: Sha256) => {
  sha256 = impl;
};

export async function sha256Hex(text: string): Promise<string> {
  return sha256(text);
}
