// Finding appointments due to become no_show: still blocking when their end plus the clinic's grace
// period (config.noShowGraceMinutes, default 30) has passed.
import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import { BLOCKING_STATUSES } from '../domain/status.js';
import type { AppointmentRow } from './appointments.js';
import { appointments, tenants } from './schema.js';
import type { Db } from './store.js';

export async function dueForNoShow(db: Db, now: number, limit: number): Promise<AppointmentRow[]> {
  const rows = await db
    .select({ appointment: appointments })
    .from(appointments)
    .innerJoin(tenants, eq(tenants.id, appointments.tenantId))
    .where(
      and(
        inArray(appointments.status, [...BLOCKING_STATUSES]),
        // ends_at <= now keeps the (status, ends_at) index in play; the grace is per clinic.
        lte(appointments.endsAt, now),
        sql`${appointments.endsAt} + coalesce(json_extract(${tenants.config}, '$.noShowGraceMinutes'), 30) * 60000 <= ${now}`,
      ),
    )
    .orderBy(asc(appointments.endsAt), asc(appointments.id))
    .limit(limit);
  return rows.map((r) => r.appointment);
}
