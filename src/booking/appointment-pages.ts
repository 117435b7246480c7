// Numbered, sorted pages of a clinic's appointments with their total, and the names of who sees the
// patient and for what: the reads of page-number doors (the Voki-compatible API).
import type { Tenant } from '../accounts/tenants.js';
import { namesOf, type PageFilter, type PageSort, pageOfAppointments } from '../db/appointment-pages.js';
import type { AppointmentRow } from '../db/appointments.js';
import type { AppDeps } from '../deps.js';

export type { PageSort, StatusCase } from '../db/appointment-pages.js';
export type { AppointmentRow } from '../db/appointments.js';

export interface AppointmentPageQuery extends Omit<PageFilter, 'tenantId'> {
  sortBy: PageSort;
  sortOrder: 'asc' | 'desc';
  /** 1-based. */
  page: number;
  pageSize: number;
}

export async function findAppointmentPage(
  deps: AppDeps,
  tenant: Tenant,
  q: AppointmentPageQuery,
): Promise<{ rows: AppointmentRow[]; total: number }> {
  const { sortBy, sortOrder, page, pageSize, ...filter } = q;
  return pageOfAppointments(
    deps.store.db,
    { ...filter, tenantId: tenant.id },
    { by: sortBy, order: sortOrder },
    { offset: (page - 1) * pageSize, limit: pageSize },
  );
}

export interface CatalogNames {
  professionals: Map<string, string>;
  services: Map<string, string>;
}

/** The professional and service names of these appointments (removed ones keep their name). */
export async function catalogNames(
  deps: AppDeps,
  tenant: Tenant,
  rows: Pick<AppointmentRow, 'professionalId' | 'serviceTypeId'>[],
): Promise<CatalogNames> {
  const professionalIds = [...new Set(rows.map((r) => r.professionalId))];
  const serviceIds = [...new Set(rows.flatMap((r) => (r.serviceTypeId ? [r.serviceTypeId] : [])))];
  const [professionals, services] = await Promise.all([
    namesOf(deps.store.db, 'professionals', tenant.id, professionalIds),
    namesOf(deps.store.db, 'services', tenant.id, serviceIds),
  ]);
  return { professionals, services };
}
