// Queries for patients' own links and replies: the appointment a link opens (by id alone: the link's
// signature names the clinic, checked by the caller), and the appointment a reply is about.
import { eq, sql } from 'drizzle-orm';
import { BLOCKING_STATUSES } from '../domain/status.js';
import type { AppointmentRow } from './appointments.js';
import { appointments } from './schema.js';
import type { Db } from './store.js';

/** By id alone: only after the link's signature was checked against the row's clinic may it be used. */
export async function findAppointmentForLink(db: Db, id: string): Promise<AppointmentRow | undefined> {
  const [row] = await db.select().from(appointments).where(eq(appointments.id, id)).limit(1);
  return row;
}

/**
 * The appointment a patient's reply is about: of this clinic, still the number's (under any hash it
 * may be stored under), not started, still holding its slot, and the subject of a confirmation,
 * reschedule notice or reminder that left for that number. The soonest one.
 */
export async function replyTarget(db: Db, tenantId: string, phoneHashes: string[], now: number) {
  if (!phoneHashes.length) return undefined;
  const hashes = sql.join(
    phoneHashes.map((h) => sql`${h}`),
    sql`, `,
  );
  const [row] = await db.all<{ id: string }>(sql`
    SELECT a.id AS id FROM appointments a
    WHERE a.tenant_id = ${tenantId} AND a.patient_phone_hash IN (${hashes}) AND a.starts_at > ${now}
      AND a.status IN (${sql.join(
        BLOCKING_STATUSES.map((s) => sql`${s}`),
        sql`, `,
      )})
      AND EXISTS (SELECT 1 FROM messages m WHERE m.tenant_id = a.tenant_id AND m.appointment_id = a.id
        AND m.kind IN ('confirmation', 'reschedule', 'reminder')
        AND m.status IN ('sent', 'delivered') AND m.phone_hash IN (${hashes}))
    ORDER BY a.starts_at LIMIT 1`);
  return row?.id;
}
