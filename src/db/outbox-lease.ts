// The lease both outboxes (webhook deliveries, messages to patients) use so that of several runners
// (a timer, a cron, a kick after a write, another process) only one works on a row: a conditional
// update that moves the row's due time ahead, holding only if the row is still waiting and still due
// when this runner read it. A runner that dies lets the row become due again when the lease runs out.
import { and, eq } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Db } from './store.js';

type OutboxTable = SQLiteTable & { id: SQLiteColumn; status: SQLiteColumn; nextAttemptAt: SQLiteColumn };

/** Takes `row` for `leaseMs` from `now`; false when another runner took it first. */
export async function leaseOutboxRow(
  db: Db,
  table: OutboxTable,
  row: { id: string; nextAttemptAt: number },
  lease: { status: string; now: number; leaseMs: number },
): Promise<boolean> {
  const leased = await db
    .update(table)
    .set({ nextAttemptAt: lease.now + lease.leaseMs })
    .where(
      and(eq(table.id, row.id), eq(table.status, lease.status), eq(table.nextAttemptAt, row.nextAttemptAt)),
    )
    .returning({ id: table.id });
  return leased.length > 0;
}
