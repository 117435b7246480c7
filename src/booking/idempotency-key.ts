// The Idempotency-Key header and the request fingerprint (docs/invariants.md I-2, I-4).

import { AppError } from '../domain/errors.js';
import { type Sha256Hex, sha256Hex } from '../security/encoding.js';
import type { IdempotencyRequest } from './command.js';

/** 1–255 visible ASCII characters; surrounding quotes of a structured-field string are dropped. */
export function parseIdempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const value = header.trim().replace(/^"(.*)"$/, '$1');
  if (!/^[\x21-\x7e]{1,255}$/.test(value)) {
    throw new AppError('invalid_idempotency_key', 'Idempotency-Key must be 1–255 visible ASCII characters', [
      { path: 'Idempotency-Key', message: 'Invalid value' },
    ]);
  }
  return value;
}

/** JSON with object keys sorted, so the same body always fingerprints the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The stored key and the fingerprint of a write, if the caller sent a key. The stored key is the
 * caller's scope and its key, so each caller has a key space of its own; the fingerprint covers the
 * operation and the canonical input.
 */
export async function idempotencyFor(
  scope: string,
  header: string | undefined,
  operation: string,
  input: unknown,
  /** The runtime's digest (AppDeps.sha256Hex). */
  sha256: Sha256Hex = sha256Hex,
): Promise<IdempotencyRequest | undefined> {
  const key = parseIdempotencyKey(header);
  if (key === undefined) return undefined;
  return {
    key: `${scope} ${key}`,
    fingerprint: await sha256(`${operation}\n${canonicalJson(input ?? null)}`),
  };
}
