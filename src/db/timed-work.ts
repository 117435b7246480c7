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

/** A clinic's no-show grace in milliseconds (config.noShowGraceMinutes, default 30), as dueForNoShow reads it. */
const grace = (alias: string) =>
  sql.raw(`coalesce(json_extract(${alias}.config, '$.noShowGraceMinutes'), 30) * 60000`);

/**
 * The earliest instant any timed job has work, or null when none is waiting. Each part is read
 * through an index without visiting every future appointment, since a clinic's object runs this
 * after every write, before it answers:
 * - a no-show: each row's end plus its clinic's grace, over the rows that can be the earliest only:
 *   those ending no later than the first end plus the spread of the store's graces (a later end
 *   plus even the shortest grace comes after the first end plus the longest), a short range of the
 *   (status, ends_at) index. Exact, not merely early: an early time would wake the object every
 *   second until the real one (nextTimedRun's floor);
 * - a webhook delivery or a message: the earliest attempt of the pending ones (their due indexes);
 * - a reminder: per clinic with reminders, its soonest upcoming appointment without one queued for
 *   its current start, walked in start order (the (tenant_id, starts_at) index) and stopping at the
 *   first, minus the clinic's reminder hours and the queueing lookahead.
 */
export async function nextDueAt(db: Db, now: number): Promise<number | null> {
  const earliestEnds = sql.join(
    BLOCKING_STATUSES.map(
      (status) => sql`SELECT (SELECT min(ends_at) FROM appointments WHERE status = ${status}) AS ends_at`,
    ),
    sql` UNION ALL `,
  );
  const [row] = await db.all<{ due: number | null }>(sql`
    SELECT min(due) AS due FROM (
      SELECT min(a.ends_at + ${grace('t')}) AS due
        FROM appointments a JOIN tenants t ON t.id = a.tenant_id
        WHERE a.status IN (${blocking})
          AND a.ends_at <= (SELECT min(ends_at) FROM (${earliestEnds}))
            + (SELECT max(${grace('g')}) - min(${grace('g')}) FROM tenants g)
      UNION ALL
      SELECT min(next_attempt_at) FROM webhook_deliveries WHERE status = 'pending'
      UNION ALL
      SELECT min(next_attempt_at) FROM messages WHERE status = 'queued'
      UNION ALL
      SELECT min((SELECT a.starts_at FROM appointments a
          WHERE a.tenant_id = s.tenant_id AND a.starts_at > ${now} AND a.status IN (${blocking})
            AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.tenant_id = a.tenant_id
              AND m.dedupe_key = 'reminder:' || a.id || ':' || a.starts_at)
          ORDER BY a.starts_at LIMIT 1)
        - json_extract(s.settings, '$.reminderHours') * ${HOUR} - ${REMINDER_LOOKAHEAD_MS})
        FROM messaging_settings s
        WHERE json_extract(s.settings, '$.enabled') = 1 AND json_extract(s.settings, '$.reminderHours') > 0
    )`);
  return row?.due ?? null;
}
