// The clinic behind a public booking URL, in the booking page's terms: none is a plain not found.

import { clinicTakingBookings } from '../accounts/public-booking.js';
import type { Tenant } from '../accounts/tenants.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../domain/errors.js';

export async function publicClinic(deps: AppDeps, slug: string): Promise<Tenant> {
  const clinic = await clinicTakingBookings(deps, slug);
  if (!clinic) throw new AppError('not_found', 'This clinic does not take online bookings');
  return clinic;
}
