// API keys: issued once, stored as a digest, scoped, expiring, revocable.

import type { Db } from '../db/store.js';
import {
  type ApiKeyRow,
  findApiKey,
  findApiKeyWithTenant,
  findSandboxOf,
  findTenant,
  insertApiKey,
  listApiKeys,
  revokeApiKey,
  touchApiKey,
} from '../db/tenants.js';
import { AppError, fieldInvalid } from '../domain/errors.js';
import {
  API_KEY_PATTERN,
  hashToken,
  type IssuedToken,
  issueToken,
  type KeyMode,
} from '../security/api-key-token.js';
import type { Sha256Hex } from '../security/encoding.js';
import { sandboxFor } from './sandbox.js';
import { type Grant, grants } from './scopes.js';
import { isTenantActive, type Tenant, toTenant } from './tenants.js';

export const DEFAULT_KEY_LIFETIME_DAYS = 365;

export interface NewApiKey {
  scopes: Grant[];
  /** `test` keys reach the clinic's sandbox (src/accounts/sandbox.ts), `live` keys the clinic. */
  mode: KeyMode;
  expiresInDays?: number;
  name?: string | null;
}

export interface ApiKeyView {
  id: string;
  tenantId: string;
  name: string | null;
  mode: KeyMode;
  displayKey: string;
  scopes: Grant[];
  expiresAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export const viewApiKey = (row: ApiKeyRow): ApiKeyView => ({
  id: row.id,
  tenantId: row.tenantId,
  name: row.name,
  mode: row.mode as KeyMode,
  displayKey: `${row.displayPrefix}…${row.last4}`,
  scopes: row.scopes as Grant[],
  expiresAt: iso(row.expiresAt)!,
  revokedAt: iso(row.revokedAt),
  lastUsedAt: iso(row.lastUsedAt),
  createdAt: iso(row.createdAt)!,
});

/**
 * Issues a key; the returned `apiKey` is the only time the secret is ever visible. A test key belongs
 * to the clinic's sandbox (made on the first one), so `key.tenantId` is the sandbox's id; a sandbox
 * holds test keys only.
 */
export async function createApiKey(db: Db, tenantId: string, input: NewApiKey, now: number) {
  const mode = input.mode;
  const owner = mode === 'test' ? await sandboxFor(db, tenantId, now) : await findTenant(db, tenantId);
  if (!owner) throw new AppError('tenant_not_provisioned', 'Tenant not found');
  if (mode === 'live' && owner.sandboxOf) {
    throw fieldInvalid('mode', 'A sandbox holds test keys only; create live keys on the live clinic');
  }
  // The sandbox shares its clinic's reference: a test key reaches the same clinic's object.
  const issued = await issueToken(mode, owner.clinicRef);
  const row = newApiKeyRow(owner.id, input, issued, now);
  await insertApiKey(db, row);
  return { apiKey: issued.token, key: viewApiKey(row) };
}

/** The stored row of a key just issued to `owner` (the clinic, or its sandbox for a test key). */
export const newApiKeyRow = (
  owner: string,
  input: NewApiKey,
  issued: IssuedToken,
  now: number,
): ApiKeyRow => ({
  id: crypto.randomUUID(),
  tenantId: owner,
  name: input.name ?? null,
  mode: input.mode,
  keyHash: issued.hash,
  displayPrefix: issued.displayPrefix,
  last4: issued.last4,
  scopes: [...new Set(input.scopes)],
  expiresAt: now + (input.expiresInDays ?? DEFAULT_KEY_LIFETIME_DAYS) * 86_400_000,
  revokedAt: null,
  lastUsedAt: null,
  createdAt: now,
});

export const listKeys = async (db: Db, tenantId: string) => {
  const sandbox = await findSandboxOf(db, tenantId);
  return (await listApiKeys(db, sandbox ? [tenantId, sandbox.id] : [tenantId])).map(viewApiKey);
};

export async function revokeKey(db: Db, id: string, now: number): Promise<ApiKeyView> {
  const row = await revokeApiKey(db, id, now);
  if (!row) throw new AppError('api_key_not_found', `API key ${id} not found`);
  return viewApiKey(row);
}

/** The sandbox whose test keys a key manages over REST: the clinic's, or the key's own tenant if a sandbox. */
const sandboxIdOf = async (db: Db, tenant: Tenant) =>
  tenant.sandboxOf !== null ? tenant.id : (await findSandboxOf(db, tenant.id))?.id;

/** The clinic's test keys (REST manages only these; live keys are the operator's, from the CLI). */
export async function listTestKeys(db: Db, tenant: Tenant): Promise<ApiKeyView[]> {
  const sandbox = await sandboxIdOf(db, tenant);
  return sandbox ? (await listApiKeys(db, [sandbox])).map(viewApiKey) : [];
}

/** One of the clinic's test keys; a live key or another clinic's is api_key_not_found. */
export async function getTestKey(db: Db, tenant: Tenant, id: string): Promise<ApiKeyView> {
  const sandbox = await sandboxIdOf(db, tenant);
  const row = sandbox ? await findApiKey(db, id, [sandbox]) : undefined;
  if (!row) throw new AppError('api_key_not_found', `API key ${id} not found`);
  return viewApiKey(row);
}

/** Revokes one of the clinic's test keys; a live key or another clinic's is api_key_not_found. */
export async function revokeTestKey(db: Db, tenant: Tenant, id: string, now: number): Promise<ApiKeyView> {
  const sandbox = await sandboxIdOf(db, tenant);
  const row = sandbox ? await revokeApiKey(db, id, now, [sandbox]) : undefined;
  if (!row) throw new AppError('api_key_not_found', `API key ${id} not found`);
  return viewApiKey(row);
}

/**
 * A key made by a key (REST): test mode only, so a key can never mint access to live data, and with
 * no scope the maker does not hold itself, so it can never mint more power than it has.
 */
export async function createTestKeyBy(
  db: Db,
  maker: Credential,
  input: Omit<NewApiKey, 'mode'>,
  now: number,
) {
  input.scopes.forEach((scope, i) => {
    const held = scope === '*' ? maker.scopes.includes('*') : grants(maker.scopes, scope);
    if (!held) throw fieldInvalid(`scopes.${i}`, `This key does not hold ${scope}, so it cannot grant it`);
  });
  return createApiKey(db, maker.tenant.id, { ...input, mode: 'test' }, now);
}

export interface Credential {
  keyId: string;
  scopes: Grant[];
  tenant: Tenant;
}

export interface Authenticated {
  credential: Credential;
  /**
   * The key's last use, recorded at most once a minute, when due (else null). The caller runs it
   * after its answer: nothing the request does depends on it.
   */
  touch: (() => Promise<void>) | null;
}

/**
 * Resolves an `Authorization` header to the key's tenant and scopes, or throws the Mivicall 401/403.
 * `sha256` is the runtime's digest (AppDeps.sha256Hex): this runs on every request.
 */
export async function authenticate(
  db: Db,
  header: string | undefined,
  now: number,
  sha256?: Sha256Hex,
): Promise<Authenticated> {
  const match = header ? /^Bearer +(\S+)\s*$/i.exec(header) : null;
  if (!match) {
    throw new AppError('malformed_auth_header', 'Send the API key as "Authorization: Bearer miv_live_..."');
  }
  const token = match[1]!;
  const found = API_KEY_PATTERN.test(token)
    ? await findApiKeyWithTenant(db, await hashToken(token, sha256))
    : undefined;
  if (!found || found.key.revokedAt !== null) {
    throw new AppError('invalid_api_key', 'The API key is unknown or revoked');
  }
  if (found.key.expiresAt <= now) {
    throw new AppError(
      'expired_api_key',
      'The API key has expired; create a new one in Settings → Integrations',
    );
  }
  if (!isTenantActive(found.tenant)) {
    throw new AppError('tenant_inactive', 'This clinic is suspended');
  }
  const { id } = found.key;
  const lastUsedAt = Math.max(found.key.lastUsedAt ?? 0, touchedAt.get(found.key) ?? 0);
  const due = lastUsedAt < now - 60_000;
  if (due) touchedAt.set(found.key, now);
  return {
    credential: { keyId: id, scopes: found.key.scopes as Grant[], tenant: toTenant(found.tenant) },
    touch: due ? () => touchApiKey(db, id, now) : null,
  };
}

// The key's row is kept between requests (src/db/tenants.ts) and a touch does not renew it (it would
// empty the cache once a minute per key), so its last_used_at is the one it was read with: the last
// touch this process asked for is remembered beside the row, keeping touches at one a minute.
const touchedAt = new WeakMap<ApiKeyRow, number>();
