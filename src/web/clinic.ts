// The clinic behind a public booking URL: found by its publicSlug, and only while it takes bookings.
import { isTenantActive, type Tenant, toTenant } from '../accounts/tenants.js';
import { findTenantBySlug } from '../db/tenants.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../domain/errors.js';

export async function publicClinic(deps: AppDeps, slug: string): Promise<Tenant> {
  const row = await findTenantBySlug(deps.store.db, slug);
  if (!row || !row.publicBookingEnabled || !isTenantActive(row)) {
    throw new AppError('not_found', 'This clinic does not take online bookings');
  }
  return toTenant(row);
}
