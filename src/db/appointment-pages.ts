// Numbered pages of a clinic's appointments, sorted by a chosen column, with the total count: what
// page-number APIs (the Voki-compatible door) list with. The cursor pages of /v1 live in appointments.ts.
import { and, asc, count, desc, eq, gte, inArray, isNotNull, isNull, lte, or, type SQL } from 'drizzle-orm';
import type { AppointmentStatus } from '../domain/status.js';
import type { AppointmentRow } from './appointments.js';
import { appointments, professionals, services } from './schema.js';
import type { Db } from './store.js';

export const PAGE_SORTS = {
  startsAt: appointments.startsAt,
  createdAt: appointments.createdAt,
  updatedAt: appointments.updatedAt,
  title: appointments.title,
  status: appointments.status,
} as const;
export type PageSort = keyof typeof PAGE_SORTS;

/** One status, optionally narrowed by whether the appointment's confirmation is recorded. */
export interface StatusCase {
  statuses: AppointmentStatus[];
  confirmed?: boolean;
}

export interface PageFilter {
  tenantId: string;
  /** Any of these cases (none: every status). */
  statusCases?: StatusCase[];
  from?: number;
  /** Inclusive. */
  to?: number;
  professionalId?: string;
  serviceTypeId?: string;
}

function where(f: PageFilter): SQL | undefined {
  const cases = f.statusCases?.map((c) =>
    and(
      inArray(appointments.status, c.statuses),
      c.confirmed === undefined
        ? undefined
        : c.confirmed
          ? isNotNull(appointments.confirmedAt)
          : isNull(appointments.confirmedAt),
    ),
  );
  return and(
    eq(appointments.tenantId, f.tenantId),
    cases?.length ? or(...cases) : undefined,
    f.from === undefined ? undefined : gte(appointments.startsAt, f.from),
    f.to === undefined ? undefined : lte(appointments.startsAt, f.to),
    f.professionalId ? eq(appointments.professionalId, f.professionalId) : undefined,
    f.serviceTypeId ? eq(appointments.serviceTypeId, f.serviceTypeId) : undefined,
  );
}

export async function pageOfAppointments(
  db: Db,
  f: PageFilter,
  sort: { by: PageSort; order: 'asc' | 'desc' },
  page: { offset: number; limit: number },
): Promise<{ rows: AppointmentRow[]; total: number }> {
  const direction = sort.order === 'asc' ? asc : desc;
  const rows = await db
    .select()
    .from(appointments)
    .where(where(f))
    // The id breaks ties, so a page boundary never repeats or skips a row.
    .orderBy(direction(PAGE_SORTS[sort.by]), direction(appointments.id))
    .limit(page.limit)
    .offset(page.offset);
  const [counted] = await db.select({ total: count() }).from(appointments).where(where(f));
  return { rows, total: counted?.total ?? 0 };
}

/** Names of a clinic's professionals or services by id, removed ones included (old appointments). */
export async function namesOf(
  db: Db,
  kind: 'professionals' | 'services',
  tenantId: string,
  ids: string[],
): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const table = kind === 'professionals' ? professionals : services;
  const rows = await db
    .select({ id: table.id, name: table.name })
    .from(table)
    .where(and(eq(table.tenantId, tenantId), inArray(table.id, ids)));
  return new Map(rows.map((r) => [r.id, r.name]));
}
