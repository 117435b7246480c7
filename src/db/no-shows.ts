// The no-show sweep as one atomic unit: blocking appointments whose end plus the clinic's grace
// period has passed become no_show, with a history entry each. Both statements select the same
// rows (same condition, order and limit, inside one unit), so history and status always agree.
import { type SQL, sql } from 'drizzle-orm';

const due = (from: 'confirmed' | 'rescheduled', now: number, limit: number): SQL => sql`
  SELECT a.id FROM appointments a JOIN tenants t ON t.id = a.tenant_id
  WHERE a.status = ${from} AND a.ends_at <= ${now}
    AND a.ends_at + coalesce(json_extract(t.config, '$.noShowGraceMinutes'), 30) * 60000 <= ${now}
  ORDER BY a.ends_at, a.id LIMIT ${limit}`;

/** History entries first (they read the old status), then the status change. */
export const markNoShows = (
  from: 'confirmed' | 'rescheduled',
  now: number,
  commandId: string,
  limit: number,
): SQL[] => [
  sql`INSERT INTO appointment_history (id, tenant_id, appointment_id, action, actor, changes, occurred_at)
    SELECT lower(hex(randomblob(16))), tenant_id, id, 'no_show', 'system:no_show',
      json_object('status', json_object('from', status, 'to', 'no_show')), ${now}
    FROM appointments WHERE id IN (${due(from, now, limit)})`,
  sql`UPDATE appointments SET status = 'no_show', version = version + 1, last_command_id = ${commandId}, updated_at = ${now}
    WHERE id IN (${due(from, now, limit)})`,
];
