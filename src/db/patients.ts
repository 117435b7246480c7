// Patients are not stored on their own: they are the appointments grouped by phone hash.
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { appointments } from './schema.js';
import type { Db } from './store.js';

export interface PatientSummaryRow {
  patientPhoneHash: string;
  name: string;
  appointmentCount: number;
  firstSeenAt: number;
  lastStartsAt: number;
}

/** Patients whose (folded) name contains `term`, most recently booked first. */
export async function searchPatients(
  db: Db,
  tenantId: string,
  term: string,
  limit: number,
): Promise<PatientSummaryRow[]> {
  const pattern = `%${term.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  return db.all<PatientSummaryRow>(sql`
    SELECT p.hash AS patientPhoneHash, p.appointmentCount, p.firstSeenAt, p.lastStartsAt,
      -- the name given on the latest booking
      (SELECT b.patient_name FROM appointments b WHERE b.tenant_id = ${tenantId} AND b.patient_phone_hash = p.hash
        ORDER BY b.created_at DESC LIMIT 1) AS name
    FROM (
      SELECT patient_phone_hash AS hash, count(*) AS appointmentCount, min(created_at) AS firstSeenAt,
        max(starts_at) AS lastStartsAt, max(created_at) AS lastCreatedAt
      FROM appointments
      WHERE tenant_id = ${tenantId} AND patient_name_search LIKE ${pattern} ESCAPE '\\'
      GROUP BY patient_phone_hash
    ) p
    ORDER BY p.lastCreatedAt DESC LIMIT ${limit}`);
}

export async function appointmentsOfPatient(db: Db, tenantId: string, hashes: string[], limit: number) {
  return db
    .select()
    .from(appointments)
    .where(and(eq(appointments.tenantId, tenantId), inArray(appointments.patientPhoneHash, hashes)))
    .orderBy(desc(appointments.startsAt))
    .limit(limit);
}
