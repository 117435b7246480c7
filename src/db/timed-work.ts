// When a store's timed work is next due: the earliest of a no-show to mark, a webhook delivery or a
// message to (re)try, and a reminder to queue. One statement, so a clinic's Durable Object can set
// its alarm after every write without a second look (src/worker/clinic-object.ts). The conditions
// mirror the jobs' own queries (no-shows.ts, webhooks.ts, messages.ts); a time too early only wakes
// the job for nothing, so where they differ this errs early.
import { sql } from 'drizzle-orm';
import { BLOCKING_STATUSES } from '../domain/status.js';
import type { Db } from './store.js';

const HOUR = 3_600_000;
/** Reminders are queued up to a day before they are due (LOOKAHEAD_MS in messaging/reminders.ts). */
const REMINDER_LOOKAHEAD_MS = 24 * HOUR;

const blocking = sql.join(
  BLOCKING_STATUSES.map((status) => sql`${status}`),
  sql`, `,
);

/** The earliest instant any timed job has work, or null when none is waiting. */
export async function nextDueAt(db: Db, now: number): Promise<number | null> {
  const [row] = await db.all<{ due: number | null }>(sql`
    SELECT min(due) AS due FROM (
      SELECT min(a.ends_at + coalesce(json_extract(t.config, '$.noShowGraceMinutes'), 30) * 60000) AS due
        FROM appointments a JOIN tenants t ON t.id = a.tenant_id
        WHERE a.status IN (${blocking})
      UNION ALL
      SELECT min(next_attempt_at) FROM webhook_deliveries WHERE status = 'pending'
      UNION ALL
      SELECT min(next_attempt_at) FROM messages WHERE status = 'queued'
      UNION ALL
      SELECT min(a.starts_at - json_extract(s.settings, '$.reminderHours') * ${HOUR} - ${REMINDER_LOOKAHEAD_MS})
        FROM appointments a JOIN messaging_settings s ON s.tenant_id = a.tenant_id
        WHERE a.status IN (${blocking}) AND a.starts_at > ${now}
          AND json_extract(s.settings, '$.enabled') = 1 AND json_extract(s.settings, '$.reminderHours') > 0
          AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.tenant_id = a.tenant_id
            AND m.dedupe_key = 'reminder:' || a.id || ':' || a.starts_at)
    )`);
  return row?.due ?? null;
}
