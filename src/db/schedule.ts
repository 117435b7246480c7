// Queries for working hours, exceptions and busy time.
import { and, asc, eq, gte, lte, sql } from 'drizzle-orm';
import { deepFreeze } from '../domain/freeze.js';
import { keptUpTo } from '../domain/kept.js';
import { BLOCKING_STATUSES } from '../domain/status.js';
import type { WeeklySchedule } from '../domain/working-hours.js';
import { MAX_BLOCK_MS } from './appointments.js';
import { professionals, scheduleExceptions } from './schema.js';
import { allNow, type Db, type PreparedRead, plainRead, preparedOnce, type Read, read } from './store.js';

export type ExceptionRow = typeof scheduleExceptions.$inferSelect;

export async function saveWeeklySchedule(
  db: Db,
  tenantId: string,
  professionalId: string,
  weekly: WeeklySchedule,
  now: number,
) {
  await db
    .update(professionals)
    .set({ weeklySchedule: weekly, updatedAt: now })
    .where(and(eq(professionals.tenantId, tenantId), eq(professionals.id, professionalId)));
}

// Availability reads these for every window it walks: prepared once, for the whole clinic, and
// narrowed to the professionals asked for in code (one statement whatever their number).
const clinicExceptions = preparedOnce((db) =>
  db
    .select()
    .from(scheduleExceptions)
    .where(
      and(
        eq(scheduleExceptions.tenantId, sql.placeholder('tenantId')),
        lte(scheduleExceptions.startDate, sql.placeholder('toDate')),
        gte(scheduleExceptions.endDate, sql.placeholder('fromDate')),
      ),
    )
    .orderBy(asc(scheduleExceptions.startDate), asc(scheduleExceptions.createdAt))
    .prepare(),
);

/** Exceptions of these professionals that touch the local dates [fromDate, toDate]. */
export async function listExceptions(
  db: Db,
  tenantId: string,
  professionalIds: string[],
  fromDate: string,
  toDate: string,
): Promise<ExceptionRow[]> {
  if (professionalIds.length === 0) return [];
  const wanted = new Set(professionalIds);
  const rows = await clinicExceptions(db).all({ tenantId, fromDate, toDate });
  return rows.filter((r) => wanted.has(r.professionalId));
}

// Availability reads the clinic's exceptions over its range on every answer (two reads per voice
// check), almost always the same few rows, often none. They count in the clinic's catalogue counter
// (triggers of drizzle/0021), so they are kept with the catalogue they were read under: the catalogue
// cache (src/db/catalog.ts) hands out the same frozen object only while that counter holds, and a new
// one, with nothing kept, once any write moved it. Rows read after the counter can only be newer
// than it, never older. A kept range costs no statement. Bounded per catalogue.
const keptExceptions = new WeakMap<object, (range: string, read: () => ExceptionRow[]) => ExceptionRow[]>();

/**
 * The clinic's exceptions touching the local dates [fromDate, toDate], as a read for a batch.
 * `catalogue` is the clinic's catalogue as `catalogRead` gave it (to keep the rows with it).
 */
export function exceptionsRead(
  db: Db,
  tenantId: string,
  fromDate: string,
  toDate: string,
  catalogue?: object,
): Read<ExceptionRow> {
  const values = { tenantId, fromDate, toDate };
  const query = clinicExceptions(db) as PreparedRead<ExceptionRow>;
  if (!catalogue) return read(query, values);
  const kept = keptExceptions.get(catalogue) ?? keptUpTo(256);
  keptExceptions.set(catalogue, kept);
  return read({
    all: () => kept(`${tenantId}|${fromDate}|${toDate}`, () => deepFreeze(allNow(query, values))),
  });
}

export async function insertException(db: Db, row: ExceptionRow): Promise<void> {
  await db.insert(scheduleExceptions).values(row);
}

export async function deleteException(
  db: Db,
  tenantId: string,
  professionalId: string,
  id: string,
): Promise<boolean> {
  const deleted = await db
    .delete(scheduleExceptions)
    .where(
      and(
        eq(scheduleExceptions.tenantId, tenantId),
        eq(scheduleExceptions.professionalId, professionalId),
        eq(scheduleExceptions.id, id),
      ),
    )
    .returning({ id: scheduleExceptions.id });
  return deleted.length > 0;
}

export interface BusySpan {
  professionalId: string;
  start: number;
  end: number;
}

// Availability reads this for every window it walks, often hundreds of rows: plain SQL (drizzle
// decoded each field of each row for more than the query cost), the professionals passed as one
// JSON parameter (a list of any length, still one statement and within a Durable Object's limit of
// 100). The covering index (tenant, professional, start, blocked end, status) answers it alone.
const CLINIC_BUSY = `SELECT professional_id AS professionalId, starts_at AS start, blocks_until AS "end"
  FROM appointments
  WHERE tenant_id = ? AND professional_id IN (SELECT value FROM json_each(?))
    AND starts_at >= ? AND starts_at < ? AND blocks_until > ?
    AND status IN (${BLOCKING_STATUSES.map((s) => `'${s}'`).join(', ')})`;

/** Blocking appointments of these professionals whose blocked span meets [from, to), as a read for a batch. */
export const busyRead = (tenantId: string, professionalIds: string[], from: number, to: number) =>
  plainRead<BusySpan>({
    sql: CLINIC_BUSY,
    params: [tenantId, JSON.stringify(professionalIds), from - MAX_BLOCK_MS, to, from],
  });
