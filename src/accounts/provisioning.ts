// Provisioning clinics: what the operator does (the admin API and the admin CLI), behind one small
// interface so the doors only translate. `storeProvisioning` keeps every clinic in the one Store; a
// runtime that keeps clinics elsewhere (a Durable Object per clinic and a directory) hands the app
// its own `Provisioning` through AppDeps, and neither door changes.
import {
  type CommandResult,
  IDEMPOTENCY_RETENTION_MS,
  type IdempotencyRequest,
  replay,
  type Stored,
} from '../booking/command.js';
import { decodeCursor, encodeCursor } from '../booking/cursor.js';
import type { DoorAnswer } from '../booking/outcome.js';
import {
  claimKey,
  findFreshKey,
  holdsClaim,
  type KeyRef,
  readKey,
  recordAnswer,
  releaseUnanswered,
} from '../db/idempotency.js';
import {
  insertApiKeyIf,
  insertTenantIf,
  liveTenantsPage,
  selectTenantMade,
  slugsLike,
  tenantExists,
} from '../db/provisioning.js';
import { ALWAYS, compile } from '../db/store.js';
import { findSandboxOf, findTenant, revokeApiKey, setTenantStatus } from '../db/tenants.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../domain/errors.js';
import { issueToken } from '../security/api-key-token.js';
import {
  type ApiKeyView,
  createApiKey,
  listKeys,
  type NewApiKey,
  newApiKeyRow,
  revokeKey,
  viewApiKey,
} from './api-keys.js';
import { sandboxRow } from './sandbox.js';
import { type NewTenant, newTenantRow, type Tenant, type TenantStatus, toTenant } from './tenants.js';

export interface NewClinic extends NewTenant {
  /** The first key's mode: a test key (the default, as the CLI has always done) or a live key. */
  live?: boolean;
}

/** A clinic just made, with its first key; `apiKey` is the secret, null in what a retry replays. */
export interface ClinicMade {
  tenant: Tenant;
  key: ApiKeyView;
  apiKey: string | null;
}

export interface ClinicRequest {
  /** The operator's Idempotency-Key (scope ADMIN_SCOPE): one clinic per key, however many retries. */
  idempotency?: IdempotencyRequest;
  /**
   * The door's answer, recorded with the key. It is recorded with `apiKey: null`: the secret is
   * shown once, to the request that made it, and never stored; a retry gets the same clinic and key
   * without it (mint another key if that answer was lost).
   */
  answer?: (made: ClinicMade) => DoorAnswer;
}

export type ClinicResult = { replayed: false; made: ClinicMade } | (CommandResult & { replayed: true });

export interface ClinicPage {
  items: Tenant[];
  nextCursor: string | null;
}

export interface Provisioning {
  createClinic(input: NewClinic, request?: ClinicRequest): Promise<ClinicResult>;
  /** Live clinics in creation order (sandboxes are their clinics' twins, not listed). */
  listClinics(page: { limit: number; cursor?: string }): Promise<ClinicPage>;
  /** A live clinic; tenant_not_provisioned otherwise. */
  getClinic(id: string): Promise<Tenant>;
  /** Changes the clinic's status (its sandbox follows); `canceled` suspends it. */
  setStatus(id: string, status: TenantStatus): Promise<Tenant>;
  createKey(tenantId: string, input: NewApiKey): Promise<{ apiKey: string; key: ApiKeyView }>;
  /** The clinic's live keys and its sandbox's test keys. */
  listKeys(tenantId: string): Promise<ApiKeyView[]>;
  /** Revokes one of the clinic's keys (any clinic's when `tenantId` is omitted: the local CLI). */
  revokeKey(keyId: string, tenantId?: string): Promise<ApiKeyView>;
}

/** The idempotency scope of the operator's keys: no clinic's id (those are UUIDs) can equal it. */
export const ADMIN_SCOPE = 'admin';
const FIRST_KEY_SCOPES = ['*'] as const;
// Each retry means another clinic took the slug this one planned (two clinics of one name at once).
const MAX_ATTEMPTS = 20;

const firstFree = (base: string, taken: Set<string>) => {
  if (!taken.has(base)) return base;
  let n = 2;
  while (taken.has(`${base}-${n}`)) n++;
  return `${base}-${n}`;
};

export function storeProvisioning(deps: Pick<AppDeps, 'store' | 'clock'>): Provisioning {
  const { store, clock } = deps;
  const db = store.db;

  async function liveClinic(id: string) {
    const row = await findTenant(db, id);
    if (!row || row.sandboxOf !== null) throw new AppError('tenant_not_provisioned', `No clinic ${id}`);
    return row;
  }

  return {
    async createClinic(input, request = {}) {
      const { idempotency, answer } = request;
      if (idempotency && !answer) throw new Error('An idempotent createClinic needs the door’s answer');
      const ref: KeyRef | undefined = idempotency && { tenantId: ADMIN_SCOPE, key: idempotency.key };
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const now = clock.now();
        if (ref && idempotency) {
          const stored = await findFreshKey(db, ref, now - IDEMPOTENCY_RETENTION_MS);
          if (stored) {
            const {
              fingerprint,
              responseStatus: status,
              responseBody: body,
              responseLocation: location,
            } = stored;
            return {
              ...replay({ fingerprint, status, body, location }, idempotency.fingerprint),
              replayed: true,
            };
          }
        }
        // The clinic, its sandbox (for a test key) and the key, written together or not at all.
        const tenant = newTenantRow(input, now);
        tenant.publicSlug = firstFree(tenant.publicSlug!, await slugsLike(db, tenant.publicSlug!));
        const mode = input.live ? 'live' : 'test';
        const sandbox = mode === 'test' ? sandboxRow(tenant, now) : null;
        const issued = await issueToken(mode, tenant.clinicRef);
        const keyInput: NewApiKey = { scopes: [...FIRST_KEY_SCOPES], mode, name: 'initial' };
        const keyRow = newApiKeyRow(sandbox?.id ?? tenant.id, keyInput, issued, now);
        const made: ClinicMade = { tenant: toTenant(tenant), key: viewApiKey(keyRow), apiKey: issued.token };
        const claim = crypto.randomUUID();
        const guard = ref ? holdsClaim(ref, claim) : ALWAYS;
        const writes = [
          insertTenantIf(tenant, [guard]),
          ...(sandbox ? [insertTenantIf(sandbox, [guard, tenantExists(tenant.id)])] : []),
          insertApiKeyIf(keyRow, [guard, tenantExists(keyRow.tenantId)]),
        ];
        if (!ref || !idempotency || !answer) {
          const results = await store.atomic([...writes, selectTenantMade(tenant.id)].map(compile));
          if (Number(results.at(-1)?.rows[0]?.made)) return { replayed: false, made };
          continue; // the slug was taken meanwhile: plan again
        }
        const results = await store.atomic(
          [
            claimKey(ref, idempotency.fingerprint, claim, now, now - IDEMPOTENCY_RETENTION_MS),
            ...writes,
            recordAnswer(ref, claim, [
              { when: tenantExists(tenant.id), answer: answer({ ...made, apiKey: null }) },
            ]),
            releaseUnanswered(ref, claim),
            readKey(ref),
          ].map(compile),
        );
        const row = results.at(-1)?.rows[0] as (Stored & { claim: string }) | undefined;
        if (!row) continue; // released: the slug was taken meanwhile, nothing written
        if (row.claim !== claim) return { ...replay(row, idempotency.fingerprint), replayed: true };
        return { replayed: false, made };
      }
      throw new AppError(
        'concurrent_modification',
        'Other clinics kept taking this name’s slug; retry',
        [],
        1,
      );
    },

    async listClinics({ limit, cursor }) {
      const rows = await liveTenantsPage(db, limit + 1, cursor ? decodeCursor(cursor) : undefined);
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      return {
        items: items.map(toTenant),
        nextCursor: rows.length > limit && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null,
      };
    },

    getClinic: async (id) => toTenant(await liveClinic(id)),

    async setStatus(id, status) {
      await liveClinic(id);
      const row = await setTenantStatus(db, id, status, clock.now());
      if (!row) throw new AppError('tenant_not_provisioned', `No clinic ${id}`);
      return toTenant(row);
    },

    async createKey(tenantId, input) {
      await liveClinic(tenantId);
      return createApiKey(db, tenantId, input, clock.now());
    },

    async listKeys(tenantId) {
      await liveClinic(tenantId);
      return listKeys(db, tenantId);
    },

    async revokeKey(keyId, tenantId) {
      if (tenantId === undefined) return revokeKey(db, keyId, clock.now());
      await liveClinic(tenantId);
      const sandbox = await findSandboxOf(db, tenantId);
      const row = await revokeApiKey(db, keyId, clock.now(), sandbox ? [tenantId, sandbox.id] : [tenantId]);
      if (!row) throw new AppError('api_key_not_found', `API key ${keyId} not found`);
      return viewApiKey(row);
    },
  };
}
