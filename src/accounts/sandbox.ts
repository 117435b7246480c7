// A clinic's sandbox: what its `miv_test_` keys reach. It is a tenant of its own (a twin row in
// `tenants` whose `sandboxOf` names the live clinic), made when the first test key is issued, so
// every query that is scoped by the credential's tenant id keeps test and live data apart without
// knowing test mode exists. What test mode changes is only what would leave the service: the
// twin's webhook events are recorded as `simulated` and never sent (src/webhooks/delivery.ts), and
// any outbound door (calls, messages) asks `isSandbox` before reaching a patient or a PMS.
import type { Db } from '../db/store.js';
import { findSandboxOf, findTenant, insertTenant, type TenantRow } from '../db/tenants.js';
import { AppError } from '../domain/errors.js';

export const isSandbox = (tenant: Pick<TenantRow, 'sandboxOf'>) => tenant.sandboxOf !== null;

/** The sandbox twin of `clinic`: a copy of its profile and settings without its public page. */
export const sandboxRow = (clinic: TenantRow, now: number): TenantRow => ({
  ...clinic,
  id: crypto.randomUUID(),
  sandboxOf: clinic.id,
  // Anonymous visitors cannot be told apart as testers: the sandbox has no page until it sets one.
  publicSlug: null,
  publicBookingEnabled: false,
  legacyPhoneHashes: false,
  phoneRehashCursor: null,
  createdAt: now,
  updatedAt: now,
});

/**
 * The sandbox of the clinic `tenantId` (the clinic itself when it already is one), made on first use
 * as a copy of the clinic's profile and settings without its public page. Two callers racing to make
 * it get the same row: the unique index on `sandbox_of` lets one insert win.
 */
export async function sandboxFor(db: Db, tenantId: string, now: number): Promise<TenantRow> {
  const clinic = await findTenant(db, tenantId);
  if (!clinic) throw new AppError('tenant_not_provisioned', 'Tenant not found');
  if (isSandbox(clinic)) return clinic;
  const existing = await findSandboxOf(db, clinic.id);
  if (existing) return existing;
  await insertTenant(db, sandboxRow(clinic, now));
  const made = await findSandboxOf(db, clinic.id);
  if (!made) throw new Error(`The sandbox of ${clinic.id} could not be created`);
  return made;
}
