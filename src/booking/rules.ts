// The rules a slot must pass before the core writes it, shared by booking and rescheduling. The
// overlap rule itself lives in SQL (src/db/appointments.ts `overlaps`), checked inside the write.
import type { Tenant } from '../accounts/tenants.js';
import type { ProfessionalRow, ServiceRow } from '../db/catalog.js';
import type { AppDeps } from '../deps.js';
import { AppError, fieldInvalid, refusalError } from '../domain/errors.js';
import { DAY, MINUTE } from '../domain/time.js';
import { type Catalog, professionalIn, serviceIn } from './active-catalog.js';
import type { AppointmentSource } from './appointment-view.js';
import { getItem } from './catalog.js';
import { isWithinHours } from './schedule.js';

/** Voice and self-service bookings keep to working hours, notice and horizon; a PMS may not need to. */
export const keepsToBookingWindow = (source: AppointmentSource) =>
  source === 'voice_ai' || source === 'self_service';

/** The professional, refused when inactive; from the catalogue when the caller holds it. */
export async function bookableProfessional(
  deps: AppDeps,
  tenant: Tenant,
  id: string,
  catalog?: Catalog,
): Promise<ProfessionalRow> {
  const professional = catalog
    ? professionalIn(catalog, id)
    : await getItem(deps.store.db, 'professional', tenant.id, id);
  if (!professional.active) {
    throw new AppError('professional_inactive', 'This professional is inactive and takes no new bookings', [
      { path: 'professionalId', message: 'Professional is inactive' },
    ]);
  }
  return professional;
}

/** The service, refused when inactive; from the catalogue when the caller holds it. */
export async function bookableService(
  deps: AppDeps,
  tenant: Tenant,
  id: string,
  catalog?: Catalog,
): Promise<ServiceRow> {
  const service = catalog ? serviceIn(catalog, id) : await getItem(deps.store.db, 'service', tenant.id, id);
  if (!service.active) {
    throw new AppError('service_inactive', 'This service is inactive and takes no new bookings', [
      { path: 'serviceTypeId', message: 'Service is inactive' },
    ]);
  }
  return service;
}

/** Throws unless the service is open to this professional (a service without a list is open to all). */
export const qualifiedFor = (service: Pick<ServiceRow, 'professionalIds'>) => service.professionalIds;

export function assertQualified(service: ServiceRow, professionalId: string) {
  const allowed = qualifiedFor(service);
  if (allowed.length && !allowed.includes(professionalId)) {
    throw new AppError('professional_not_qualified', 'This professional does not provide this service', [
      { path: 'professionalId', message: 'Not qualified for the service' },
    ]);
  }
}

/** The earliest and latest start a voice or self-service booking may take. */
export const bookingWindow = (tenant: Tenant, now: number) => ({
  earliest: now + tenant.config.minimumNoticeMinutes * MINUTE,
  latest: now + tenant.config.bookingHorizonDays * DAY,
});

/** The rules on the time alone: in the future and, for voice and self-service, notice and horizon. */
export function assertTimeAllowed(
  deps: AppDeps,
  tenant: Tenant,
  startsAt: number,
  source: AppointmentSource,
) {
  const now = deps.clock.now();
  if (startsAt <= now) throw fieldInvalid('startsAt', 'Must be in the future');
  if (!keepsToBookingWindow(source)) return;
  const { earliest, latest } = bookingWindow(tenant, now);
  if (startsAt < earliest) {
    throw new AppError(
      'insufficient_notice',
      `Bookings need ${tenant.config.minimumNoticeMinutes} minutes notice`,
      [{ path: 'startsAt', message: 'Too soon' }],
    );
  }
  if (startsAt > latest) {
    throw new AppError(
      'beyond_booking_horizon',
      `Bookings open ${tenant.config.bookingHorizonDays} days ahead`,
      [{ path: 'startsAt', message: 'Too far ahead' }],
    );
  }
}

/** The overlap rule's refusal: decided inside the write, so it comes back as an outcome. */
export const slotTaken = () =>
  refusalError('slot_conflict', 'The professional already has an appointment at that time');

export const upcomingCapReached = (cap: number) =>
  refusalError(
    'booking_limit_reached',
    `This phone already holds ${cap} upcoming online appointments; call the clinic to book more`,
    [{ path: 'patientPhone', message: 'Too many upcoming online appointments' }],
  );

export const outsideWorkingHours = () =>
  new AppError('outside_working_hours', 'The professional does not work at that time', [
    { path: 'startsAt', message: 'Outside working hours' },
  ]);

/** Everything a new slot must satisfy before the write: the time rules, qualification and, for voice and self-service, working hours. */
export async function assertSlotAllowed(
  deps: AppDeps,
  tenant: Tenant,
  slot: {
    professional: ProfessionalRow;
    service: ServiceRow;
    startsAt: number;
    endsAt: number;
    source: AppointmentSource;
    /** The slot came from availability, which read the same hours and exceptions: no second read. */
    hoursChecked?: boolean;
  },
) {
  assertTimeAllowed(deps, tenant, slot.startsAt, slot.source);
  assertQualified(slot.service, slot.professional.id);
  if (
    keepsToBookingWindow(slot.source) &&
    !slot.hoursChecked &&
    !(await isWithinHours(deps, tenant, slot.professional, slot.startsAt, slot.endsAt))
  ) {
    throw outsideWorkingHours();
  }
}
