// A voice session: one platform call, tied to its clinic, its call record and its caller.

import { isTenantActive, type Tenant, toTenant } from '../accounts/tenants.js';
import { type CatalogSource, catalogOnce } from '../booking/active-catalog.js';
import { catalogRead } from '../db/catalog.js';
import { findTenant, type TenantRow, tenantRead } from '../db/tenants.js';
import { type CallRow, callerContext, callRead, ensureCall, type IntegrationRow } from '../db/voice.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../domain/errors.js';
import { callerNumber } from './caller-id.js';
import type { Platform } from './credentials.js';
import { type Language, languageOf } from './speech.js';

export type { Platform };

export interface VoiceSession {
  deps: AppDeps;
  tenant: Tenant;
  integration: IntegrationRow;
  platform: Platform;
  call: CallRow;
  /** The caller's E.164 number, or null (withheld, web call). */
  caller: string | null;
  language: Language;
  /**
   * The clinic is suspended: its line still gets each platform's normal answer, but every tool speaks a
   * refusal (run-tool.ts). A platform ignores error statuses, and the caller would hear nothing.
   */
  suspended: boolean;
  /** The clinic's catalogue, read at most once per session (one webhook request) and shared with the core. */
  catalog: CatalogSource;
}

export interface CallIdentity {
  externalCallId: string;
  callerRaw?: string | null;
  calledRaw?: string | null;
  startedAt?: number;
}

/** The integration's clinic, and whether it is suspended. */
export async function clinicOf(
  deps: AppDeps,
  integration: IntegrationRow,
): Promise<{ tenant: Tenant; suspended: boolean }> {
  return clinicFrom(await findTenant(deps.store.db, integration.tenantId));
}

function clinicFrom(row: TenantRow | undefined) {
  if (!row) throw new AppError('tenant_inactive', 'This clinic is suspended');
  return { tenant: toTenant(row), suspended: !isTenantActive(row) };
}

/** Opens (or resumes) the session of a platform call: the call record exists once per platform call id. */
export async function openSession(
  deps: AppDeps,
  integration: IntegrationRow,
  identity: CallIdentity,
): Promise<VoiceSession> {
  // What a session needs, in one round trip: the clinic, the call if already seen, the catalogue.
  const { db } = deps.store;
  const [tenantRows, seen, [catalog]] = await deps.store.batch(
    tenantRead(db, integration.tenantId),
    callRead(db, integration.id, identity.externalCallId),
    catalogRead(db, integration.tenantId),
  );
  const { tenant, suspended } = clinicFrom(tenantRows[0]);
  const now = deps.clock.now();
  const caller = callerNumber(identity.callerRaw, tenant.country);
  const called = callerNumber(identity.calledRaw, tenant.country);
  // The record is built (and the caller's number sealed) only the first time the call is seen.
  const call = await ensureCall(
    deps.store,
    identity.externalCallId,
    integration.id,
    async () => ({
      id: crypto.randomUUID(),
      tenantId: tenant.id,
      integrationId: integration.id,
      platform: integration.platform,
      externalCallId: identity.externalCallId,
      fromNumberEncrypted: caller
        ? await deps.vault.encrypt(
            caller,
            callerContext({
              tenantId: tenant.id,
              integrationId: integration.id,
              externalCallId: identity.externalCallId,
            }),
          )
        : null,
      fromNumberHash: caller ? await deps.vault.hash(caller, tenant.id) : null,
      toNumber: called,
      status: 'in_progress',
      outcome: null,
      endedReason: null,
      startedAt: identity.startedAt ?? now,
      endedAt: null,
      durationSeconds: null,
      transcriptionWordCount: null,
      recordingUrl: null,
      metadata: {},
      createdAt: now,
      updatedAt: now,
    }),
    seen,
  );
  return {
    deps,
    tenant,
    integration,
    platform: integration.platform as Platform,
    call,
    caller,
    language: languageOf(tenant.config.language),
    suspended,
    catalog: catalogOnce(deps, tenant.id, catalog),
  };
}

// The call's seal context lives with the call rows (the phone re-hash job opens them too).
export { callerContext };
