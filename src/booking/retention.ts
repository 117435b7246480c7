// Retention, per clinic (its settings): calls' transcripts, tool inputs and events, and the messages
// taken on them, go after callRetentionDays; appointments' personal fields after appointmentAnonymiseAfterDays (off unless
// the clinic sets it: its records law decides); audit events after auditRetentionDays. Every
// statement only matches what is still due, so racing runners do each row once.
import { readTenantConfig } from '../accounts/tenant-config.js';
import { purgeAuditBefore } from '../db/audit.js';
import { deleteCallbackRequestsBefore } from '../db/callback-requests.js';
import { anonymiseAppointmentsStatements, expireCallsStatements } from '../db/patient-data.js';
import { compile } from '../db/store.js';
import { listTenants } from '../db/tenants.js';
import type { AppDeps } from '../deps.js';
import { DAY } from '../domain/time.js';

export interface RetentionReport {
  callEventsDeleted: number;
  appointmentsAnonymised: number;
  auditEventsPurged: number;
}

/** Applies every clinic's retention settings once, at `now`. */
export async function applyRetention(deps: AppDeps, now: number): Promise<RetentionReport> {
  const report: RetentionReport = { callEventsDeleted: 0, appointmentsAnonymised: 0, auditEventsPurged: 0 };
  for (const tenant of await listTenants(deps.store.db)) {
    const config = readTenantConfig(tenant.config);
    const callCutoff = now - config.callRetentionDays * DAY;
    // Messages taken on calls go with the calls' transcripts.
    const calls = [
      ...expireCallsStatements(tenant.id, callCutoff, now),
      deleteCallbackRequestsBefore(tenant.id, callCutoff),
    ];
    const days = config.appointmentAnonymiseAfterDays;
    const appointments =
      days === null ? [] : anonymiseAppointmentsStatements(tenant.id, now - days * DAY, now);
    const results = await deps.store.atomic(
      [...calls, ...appointments, purgeAuditBefore(tenant.id, now - config.auditRetentionDays * DAY)].map(
        compile,
      ),
    );
    report.callEventsDeleted += results[0]?.changes ?? 0;
    if (appointments.length)
      report.appointmentsAnonymised += results[calls.length + appointments.length - 1]?.changes ?? 0;
    report.auditEventsPurged += results.at(-1)?.changes ?? 0;
  }
  return report;
}
