// Triage: questions a clinic asks before a service, sent to the patient as a link (/triagem/{token})
// on request or with the booking, answered once on a login-free page, read by the PMS and sent to
// its webhooks. The first submission stands: a second is refused (already_answered), so what the
// clinic read and what its webhook received never change under it.
import type { Tenant } from '../accounts/tenants.js';
import type { AppointmentRow } from '../db/appointments.js';
import { type MessageRow, messageQueued, queueRequestedMessage } from '../db/messages.js';
import { compile } from '../db/store.js';
import {
  appointmentStill,
  deleteServiceTriage,
  findServiceTriage,
  findTriageAnswers,
  insertTriageAnswers,
  saveServiceTriage,
  selectHolds,
  triageKept,
} from '../db/triage.js';
import { enqueueEventIf } from '../db/webhooks.js';
import type { AppDeps } from '../deps.js';
import { AppError, fieldInvalid } from '../domain/errors.js';
import { BLOCKING_STATUSES, isBlocking } from '../domain/status.js';
import { renderInstant } from '../domain/time.js';
import { checkTriageAnswers, type TriageAnswer, type TriageQuestion } from '../domain/triage.js';
import { readMessagingSettings } from '../messaging/clinic-settings.js';
import { getItem } from './catalog.js';
import { type CommandPlan, type CommandResult, runCommand } from './command.js';
import type { CommandContext } from './context.js';
import { TRIAGE_COMPLETED } from './events.js';
import { getAppointment } from './find.js';
import { type OpenedLink, openPatientLink } from './patient-link.js';

/** A service's triage as the clinic sets it; no questions means the service has none. */
export interface ServiceTriage {
  sendOnBooking: boolean;
  questions: TriageQuestion[];
}

/** The service's questions (none until the clinic sets some); 404 for another clinic's service. */
export async function serviceTriage(
  deps: AppDeps,
  tenant: Tenant,
  serviceId: string,
): Promise<ServiceTriage> {
  await getItem(deps.store.db, 'service', tenant.id, serviceId);
  const row = await findServiceTriage(deps.store.db, tenant.id, serviceId);
  return row
    ? { sendOnBooking: row.sendOnBooking, questions: row.questions }
    : { sendOnBooking: false, questions: [] };
}

/** Replaces the service's questions; an empty list removes its triage. */
export async function setServiceTriage(
  deps: AppDeps,
  tenant: Tenant,
  serviceId: string,
  triage: ServiceTriage,
): Promise<ServiceTriage> {
  await getItem(deps.store.db, 'service', tenant.id, serviceId);
  if (triage.sendOnBooking && triage.questions.length === 0) {
    throw fieldInvalid('sendOnBooking', 'A service without questions has no triage to send');
  }
  if (triage.questions.length === 0) {
    await deleteServiceTriage(deps.store.db, tenant.id, serviceId);
  } else {
    await saveServiceTriage(deps.store.db, {
      tenantId: tenant.id,
      serviceId,
      sendOnBooking: triage.sendOnBooking,
      questions: triage.questions,
      updatedAt: deps.clock.now(),
    });
  }
  return triage;
}

async function questionsFor(deps: AppDeps, appointment: AppointmentRow): Promise<TriageQuestion[]> {
  if (!appointment.serviceTypeId) return [];
  const row = await findServiceTriage(deps.store.db, appointment.tenantId, appointment.serviceTypeId);
  return row?.questions ?? [];
}

const upcoming = (appointment: AppointmentRow, now: number) =>
  isBlocking(appointment.status) && appointment.startsAt > now;

export type TriageSendOutcome = { kind: 'queued'; message: MessageRow };

/**
 * Queues the triage link for an upcoming appointment whose service has questions, in a clinic that
 * sends messages. With the context's Idempotency-Key a retry replays the first answer and queues
 * nothing more.
 */
export function sendTriageLink(
  ctx: CommandContext<TriageSendOutcome>,
  appointmentId: string,
): Promise<CommandResult> {
  const { deps, tenant } = ctx;
  return runCommand(ctx, async (commandId, now): Promise<CommandPlan<TriageSendOutcome>> => {
    const appointment = await getAppointment(deps, tenant, appointmentId);
    if (!upcoming(appointment, now)) {
      throw new AppError(
        'appointment_not_upcoming',
        'Triage goes before a visit: this one is over or cancelled',
      );
    }
    if ((await questionsFor(deps, appointment)).length === 0) {
      throw new AppError(
        'triage_not_configured',
        "The appointment's service has no triage questions (PUT /v1/services/{id}/triage)",
      );
    }
    if (!(await readMessagingSettings(deps, tenant.id)).enabled) {
      throw new AppError('messages_not_enabled', 'The clinic sends no messages (PUT /v1/messaging/settings)');
    }
    const message: MessageRow = {
      id: `msg_${crypto.randomUUID().replace(/-/g, '')}`,
      tenantId: tenant.id,
      appointmentId,
      kind: 'triage',
      dedupeKey: `triage:${appointmentId}:${commandId}`,
      status: 'queued',
      attempts: 0,
      nextAttemptAt: now,
      expiresAt: null,
      channel: null,
      provider: null,
      senderId: null,
      providerMessageId: null,
      phoneHash: null,
      toMasked: null,
      segments: null,
      encoding: null,
      lastError: null,
      createdAt: now,
      sentAt: null,
      updatedAt: now,
    };
    return {
      writes: (guard) => [queueRequestedMessage({ ...message, kind: 'triage', now }, guard)],
      outcomes: [{ when: messageQueued(message.id), outcome: { kind: 'queued', message } }],
    };
  });
}

/** What the triage page shows: the questions and, once answered, the answers kept. */
export interface TriageForm extends OpenedLink {
  questions: TriageQuestion[];
  answered: { answers: TriageAnswer[]; submittedAt: number } | null;
}

/** Opens a triage link (invalid_signature, link_expired as any patient link). */
export async function openTriage(deps: AppDeps, token: string): Promise<TriageForm> {
  const link = await openPatientLink(deps, token, 'triage');
  const answered = await findTriageAnswers(deps.store.db, link.tenant.id, link.appointment.id);
  return { ...link, questions: await questionsFor(deps, link.appointment), answered: answered ?? null };
}

/** The patient's answers, kept once with their webhook event in one unit; a second submission is refused. */
export async function submitTriage(deps: AppDeps, token: string, given: Record<string, unknown>) {
  const form = await openTriage(deps, token);
  const { tenant, appointment } = form;
  const alreadyAnswered = new AppError('already_answered', 'These questions were already answered');
  if (form.answered) throw alreadyAnswered;
  const now = deps.clock.now();
  if (!upcoming(appointment, now)) {
    throw new AppError('appointment_not_upcoming', 'This visit is over or cancelled');
  }
  if (form.questions.length === 0)
    throw new AppError('triage_not_configured', 'There are no questions to answer');
  const answers = checkTriageAnswers(form.questions, given);
  const submissionId = crypto.randomUUID();
  const kept = triageKept(tenant.id, appointment.id, submissionId);
  const triage = renderTriage(tenant, appointment.id, { answers, submittedAt: now });
  const eventId = `evt_${crypto.randomUUID().replace(/-/g, '')}`;
  const payload = JSON.stringify({
    id: eventId,
    type: TRIAGE_COMPLETED,
    createdAt: renderInstant(now, tenant.config.timezone),
    tenantId: tenant.id,
    data: { triage },
  });
  const results = await deps.store.atomic(
    [
      // Still upcoming as the unit runs: the visit may have been cancelled since the page read it.
      insertTriageAnswers(
        { tenantId: tenant.id, appointmentId: appointment.id, answers, submissionId, submittedAt: now },
        appointmentStill(tenant.id, appointment.id, BLOCKING_STATUSES, now),
      ),
      // No event without the answers it reports, and only for the submission that was kept.
      enqueueEventIf({ id: eventId, type: TRIAGE_COMPLETED, tenantId: tenant.id, payload, now }, kept),
      selectHolds(kept),
    ].map(compile),
  );
  if (!results.at(-1)?.rows[0]?.holds) {
    if (await findTriageAnswers(deps.store.db, tenant.id, appointment.id)) throw alreadyAnswered;
    throw new AppError('appointment_not_upcoming', 'This visit is over or cancelled');
  }
  return triage;
}

/** The clinic's view of an appointment's triage: pending until the patient answers. */
export interface TriageView {
  appointmentId: string;
  status: 'pending' | 'completed';
  submittedAt: string | null;
  answers: TriageAnswer[];
}

function renderTriage(
  tenant: Tenant,
  appointmentId: string,
  answered: { answers: TriageAnswer[]; submittedAt: number } | null,
): TriageView {
  return {
    appointmentId,
    status: answered ? 'completed' : 'pending',
    submittedAt: answered ? renderInstant(answered.submittedAt, tenant.config.timezone) : null,
    answers: answered?.answers ?? [],
  };
}

/** An appointment's triage as its clinic reads it (404 for another clinic's appointment). */
export async function appointmentTriage(deps: AppDeps, tenant: Tenant, id: string): Promise<TriageView> {
  const appointment = await getAppointment(deps, tenant, id);
  const answered = await findTriageAnswers(deps.store.db, tenant.id, appointment.id);
  return renderTriage(tenant, appointment.id, answered ?? null);
}
