// A patient's data rights, by the phone hash the API hands out (GDPR arts. 15, 17, 20; LGPD art. 18):
// everything the clinic holds about that number, as data a machine can read, and its erasure. Erasing
// keeps the rows (the diary and the statistics stay true) but not who they were about: names, notes,
// metadata, the sealed numbers, what callers said and what tools were given. The hashes become marks
// no booking can produce, so a new booking from the same number starts a new patient; a second
// erasure finds the marks and answers that nothing is left to erase.
import { and } from 'drizzle-orm';
import type { Tenant } from '../accounts/tenants.js';
import { auditWritten } from '../db/audit.js';
import {
  appointmentsByHashes,
  callsOf,
  deliveriesMentioning,
  type Erasure,
  erasePatientStatements,
  eventsOfCalls,
  historyOf,
  holdsPatient,
  messagesAbout,
  sealedNumberOf,
} from '../db/patient-data.js';
import { ALWAYS } from '../db/store.js';
import { enqueueEventIf } from '../db/webhooks.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../domain/errors.js';
import { renderInstant, renderOptionalInstant } from '../domain/time.js';
import { viewMessage } from '../messaging/messages.js';
import { viewAppointment } from './appointment-view.js';
import { auditIf, auditRow, patientSubject, recordAudit } from './audit.js';
import { appointmentSeal } from './book.js';
import { type CommandResult, decided, runCommand } from './command.js';
import type { CommandContext } from './context.js';

export const PATIENT_EVENTS = ['patient.erased'] as const;

const parseJson = (text: string | null): unknown => {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

// Marks replace hashes on erasure; a caller could paste one back as a "hash", which names nobody.
const isMark = (hash: string) => hash.startsWith('erased:') || hash.startsWith('anonymised:');

/** The mark an erased patient's hash becomes in this clinic: one-way, and never a hash a booking makes. */
export const erasureMark = async (deps: Pick<AppDeps, 'sha256Hex'>, tenant: Tenant, hash: string) =>
  // The runtime's digest: every booking computes one mark per hash (Web Crypto's is a threadpool hop on Node).
  `erased:${await deps.sha256Hex(`${tenant.id}:${hash}`)}`;

/**
 * The patient's hashes under every key version (a rotation leaves older rows under older hashes):
 * the given one, plus those of the number sealed on one of their appointments (sealed as book.ts
 * does, bound to the clinic and the appointment id).
 */
async function hashesOf(deps: AppDeps, tenant: Tenant, hash: string): Promise<string[]> {
  if (isMark(hash)) return [];
  const sealed = await sealedNumberOf(deps.store.db, tenant.id, hash);
  if (!sealed) return [hash];
  try {
    const number = await deps.vault.decrypt(sealed.sealed, appointmentSeal(tenant.id, sealed.id));
    return [...new Set([hash, ...(await deps.vault.lookupHashes(number, tenant))])];
  } catch {
    // A ciphertext under a retired key: the given hash still finds its own rows.
    return [hash];
  }
}

/** Everything held about the patient, as the export shows it; 404 when nothing is. */
async function gather(deps: AppDeps, tenant: Tenant, hash: string) {
  const db = deps.store.db;
  const live = await hashesOf(deps, tenant, hash);
  const marks = await Promise.all([...new Set([hash, ...live])].map((h) => erasureMark(deps, tenant, h)));
  const hashes = [...live, ...marks];
  const appointments = await appointmentsByHashes(db, tenant.id, hashes);
  const bookedBy = appointments.map((a) => a.callId).filter((id): id is string => id !== null);
  const calls = await callsOf(db, tenant.id, hashes, bookedBy);
  if (!appointments.length && !calls.length) {
    throw new AppError('patient_not_found', 'No patient with this phone hash');
  }
  const appointmentIds = appointments.map((a) => a.id);
  const [history, events, deliveries, messages] = await Promise.all([
    historyOf(db, tenant.id, appointmentIds),
    eventsOfCalls(
      db,
      tenant.id,
      calls.map((c) => c.id),
    ),
    deliveriesMentioning(db, tenant.id, appointmentIds, hashes),
    messagesAbout(db, tenant.id, appointmentIds, hashes),
  ]);
  return { live, appointments, calls, history, events, deliveries, messages };
}

export type PatientExport = Awaited<ReturnType<typeof exportPatient>>;

/** The patient's data, machine-readable (GDPR art. 20), and an audit entry saying who took it. */
export async function exportPatient(deps: AppDeps, tenant: Tenant, hash: string, actor: string) {
  const zone = tenant.config.timezone;
  const { appointments, calls, history, events, deliveries, messages } = await gather(deps, tenant, hash);
  await recordAudit(deps, tenant, { actor, action: 'patient.exported', subject: patientSubject(hash) });
  return {
    patientPhoneHash: hash,
    exportedAt: renderInstant(deps.clock.now(), zone),
    appointments: appointments.map((a) => ({
      ...viewAppointment(a, zone),
      // Kept beside the Mivicall view (the Voki door's fields): the patient's too.
      patientEmail: a.patientEmail,
      title: a.title,
      description: a.description,
      history: history
        .filter((h) => h.appointmentId === a.id)
        .map((h) => ({
          action: h.action,
          actor: h.actor,
          changes: h.changes,
          occurredAt: renderInstant(h.occurredAt, zone),
        })),
    })),
    calls: calls.map((c) => ({
      id: c.id,
      platform: c.platform,
      externalCallId: c.externalCallId,
      fromNumberHash: c.fromNumberHash,
      toNumber: c.toNumber,
      status: c.status,
      outcome: c.outcome,
      endedReason: c.endedReason,
      startedAt: renderInstant(c.startedAt, zone),
      endedAt: renderOptionalInstant(c.endedAt, zone),
      durationSeconds: c.durationSeconds,
      hasRecording: c.recordingUrl !== null,
      metadata: c.metadata,
      events: events
        .filter((e) => e.callId === c.id)
        .map((e) => ({
          id: e.id,
          eventType: e.eventType,
          role: e.role,
          transcript: e.transcript,
          toolName: e.toolName,
          toolInput: e.toolInput,
          toolOutput: e.toolOutput,
          occurredAt: renderInstant(e.occurredAt, zone),
        })),
    })),
    webhookDeliveries: deliveries.map((d) => ({
      id: d.id,
      endpointId: d.endpointId,
      eventId: d.eventId,
      eventType: d.eventType,
      status: d.status,
      attempts: d.attempts,
      createdAt: renderInstant(d.createdAt, zone),
      deliveredAt: renderOptionalInstant(d.deliveredAt, zone),
      payload: parseJson(d.payload),
    })),
    // What was sent to the patient: bodies are never kept, so what, when, how and what became of it.
    messages: messages.map((m) => viewMessage(m, zone)),
  };
}

/** What an erasure did: `erased` now, or `already_erased` (an earlier or concurrent erasure did it). */
export interface ErasureResult {
  patientPhoneHash: string;
  status: 'erased' | 'already_erased';
  appointments: number;
  calls: number;
}

/**
 * Erases the patient in one atomic unit with its audit entry and its `patient.erased` event, both
 * written only if this unit found the patient still there: parallel erasures emit one event. Runs
 * through the core's command runner, so a retry with the same Idempotency-Key replays its answer.
 */
export function erasePatient(ctx: CommandContext<ErasureResult>, hash: string): Promise<CommandResult> {
  const { deps, tenant, actor } = ctx;
  const none = (status: ErasureResult['status']): ErasureResult => ({
    patientPhoneHash: hash,
    status,
    appointments: 0,
    calls: 0,
  });
  return runCommand(ctx, async (commandId, now) => {
    const { live, appointments, calls } = await gather(deps, tenant, hash);
    const liveAppointments = appointments.filter((a) => live.includes(a.patientPhoneHash));
    const liveCalls = calls.filter(
      (c) =>
        (c.fromNumberHash !== null && live.includes(c.fromNumberHash)) ||
        liveAppointments.some((a) => a.callId === c.id),
    );
    if (!liveAppointments.length && !calls.some((c) => c.fromNumberHash && live.includes(c.fromNumberHash))) {
      return decided(ALWAYS, none('already_erased'));
    }
    const marks = await Promise.all(
      live.map(async (h) => ({ hash: h, mark: await erasureMark(deps, tenant, h) })),
    );
    const audit = auditRow(tenant, { actor, action: 'patient.erased', subject: patientSubject(hash) }, now);
    const eventId = `evt_${crypto.randomUUID().replace(/-/g, '')}`;
    const payload = JSON.stringify({
      id: eventId,
      type: 'patient.erased',
      createdAt: renderInstant(now, tenant.config.timezone),
      tenantId: tenant.id,
      data: {
        patientPhoneHash: hash,
        appointmentIds: liveAppointments.map((a) => a.id),
        callIds: liveCalls.map((c) => c.id),
      },
    });
    const done: ErasureResult = {
      patientPhoneHash: hash,
      status: 'erased',
      appointments: liveAppointments.length,
      calls: liveCalls.length,
    };
    return {
      writes: (guard) => {
        const erasure: Erasure = { tenantId: tenant.id, marks, commandId, actor, now, guard };
        const found = and(guard, holdsPatient(erasure))!;
        // The audit entry and the event first: they look for the hashes the erasure then replaces.
        return [
          auditIf(audit, found),
          enqueueEventIf({ id: eventId, type: 'patient.erased', tenantId: tenant.id, now, payload }, found),
          ...erasePatientStatements(erasure),
        ];
      },
      outcomes: [
        { when: auditWritten(audit.id), outcome: done },
        // Another erasure got there first: nothing of theirs was left.
        { when: ALWAYS, outcome: none('already_erased') },
      ],
    };
  });
}
