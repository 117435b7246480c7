// Queries for triage and feedback: a service's questions, a patient's answers and rating (each kept
// once per appointment), and the SQL conditions the core's atomic units are guarded by.
import { and, eq, type SQL, sql } from 'drizzle-orm';
import { q } from './fragment.js';
import { serviceTriage, triageAnswers, visitFeedback } from './schema.js';
import type { Db } from './store.js';

export type ServiceTriageRow = typeof serviceTriage.$inferSelect;
export type TriageAnswersRow = typeof triageAnswers.$inferSelect;
export type FeedbackRow = typeof visitFeedback.$inferSelect;

export async function findServiceTriage(db: Db, tenantId: string, serviceId: string) {
  const [row] = await db
    .select()
    .from(serviceTriage)
    .where(and(eq(serviceTriage.tenantId, tenantId), eq(serviceTriage.serviceId, serviceId)));
  return row;
}

export async function saveServiceTriage(db: Db, row: ServiceTriageRow) {
  await db
    .insert(serviceTriage)
    .values(row)
    .onConflictDoUpdate({
      target: [serviceTriage.tenantId, serviceTriage.serviceId],
      set: { sendOnBooking: row.sendOnBooking, questions: row.questions, updatedAt: row.updatedAt },
    });
}

export async function deleteServiceTriage(db: Db, tenantId: string, serviceId: string) {
  await db
    .delete(serviceTriage)
    .where(and(eq(serviceTriage.tenantId, tenantId), eq(serviceTriage.serviceId, serviceId)));
}

/** SQL condition on the appointment `a` of an enqueue statement: its service sends triage with a booking. */
export const serviceSendsTriage: SQL = q`EXISTS (SELECT 1 FROM service_triage t
  WHERE t.tenant_id = a.tenant_id AND t.service_id = a.service_type_id AND t.send_on_booking = 1)`;

/**
 * SQL condition: the appointment is, as the unit runs, in one of `statuses` (and starts after
 * `startsAfter` when given): what the patient's page read may have changed since (a cancellation).
 */
export const appointmentStill = (
  tenantId: string,
  appointmentId: string,
  statuses: readonly string[],
  startsAfter?: number,
): SQL => sql`EXISTS (SELECT 1 FROM appointments WHERE tenant_id = ${tenantId} AND id = ${appointmentId}
    AND status IN (${sql.join(
      statuses.map((status) => sql`${status}`),
      sql`, `,
    )})${startsAfter === undefined ? sql`` : sql` AND starts_at > ${startsAfter}`})`;

/**
 * Keeps the answers while `onlyIf` holds, unless the appointment already has some (the first
 * submission stands).
 */
export const insertTriageAnswers = (row: TriageAnswersRow, onlyIf: SQL): SQL => sql`
  INSERT INTO triage_answers (tenant_id, appointment_id, answers, submission_id, submitted_at)
  SELECT ${row.tenantId}, ${row.appointmentId}, ${JSON.stringify(row.answers)}, ${row.submissionId}, ${row.submittedAt}
  WHERE ${onlyIf}
  ON CONFLICT DO NOTHING`;

/** SQL condition: this submission's answers are the ones kept. */
export const triageKept = (tenantId: string, appointmentId: string, submissionId: string): SQL =>
  sql`EXISTS (SELECT 1 FROM triage_answers WHERE tenant_id = ${tenantId} AND appointment_id = ${appointmentId}
    AND submission_id = ${submissionId})`;

/** The last statement of a unit: whether `condition` holds after its writes (row `holds`, 0 or 1). */
export const selectHolds = (condition: SQL): SQL => sql`SELECT ${condition} AS holds`;

export async function findTriageAnswers(db: Db, tenantId: string, appointmentId: string) {
  const [row] = await db
    .select()
    .from(triageAnswers)
    .where(and(eq(triageAnswers.tenantId, tenantId), eq(triageAnswers.appointmentId, appointmentId)));
  return row;
}

/** Keeps the rating while `onlyIf` holds, unless the appointment already has one. */
export const insertFeedback = (row: FeedbackRow, onlyIf: SQL): SQL => sql`
  INSERT INTO visit_feedback (tenant_id, appointment_id, rating, comment, submission_id, submitted_at)
  SELECT ${row.tenantId}, ${row.appointmentId}, ${row.rating}, ${row.comment}, ${row.submissionId}, ${row.submittedAt}
  WHERE ${onlyIf}
  ON CONFLICT DO NOTHING`;

/** SQL condition: this submission's feedback is the one kept. */
export const feedbackKept = (tenantId: string, appointmentId: string, submissionId: string): SQL =>
  sql`EXISTS (SELECT 1 FROM visit_feedback WHERE tenant_id = ${tenantId} AND appointment_id = ${appointmentId}
    AND submission_id = ${submissionId})`;

export async function findFeedback(db: Db, tenantId: string, appointmentId: string) {
  const [row] = await db
    .select()
    .from(visitFeedback)
    .where(and(eq(visitFeedback.tenantId, tenantId), eq(visitFeedback.appointmentId, appointmentId)));
  return row;
}
