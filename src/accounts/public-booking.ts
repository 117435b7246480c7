// Online booking is a clinic's choice: its public page answers only while the clinic has it turned
// on and is active. The rule lives here; the booking page and its API only translate "no clinic".
import { findTenantBySlug } from '../db/tenants.js';
import type { AppDeps } from '../deps.js';
import { isTenantActive, type Tenant, toTenant } from './tenants.js';

/** The clinic behind a public booking slug, or undefined when there is none or it takes no bookings. */
export async function clinicTakingBookings(
  deps: Pick<AppDeps, 'store'>,
  slug: string,
): Promise<Tenant | undefined> {
  const row = await findTenantBySlug(deps.store.db, slug);
  return row?.publicBookingEnabled && isTenantActive(row) ? toTenant(row) : undefined;
}
