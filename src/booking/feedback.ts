// Feedback after a visit: when an appointment becomes attended and the clinic asks for it
// (messaging setting feedbackAfterAttended), the patient gets a link (/feedback/{token}) to rate the
// visit 1–5 with an optional comment. Kept once per appointment with its webhook event in one unit;
// a second submission is refused (already_answered), like triage.
import type { Tenant } from '../accounts/tenants.js';
import { compile } from '../db/store.js';
import { appointmentStill, feedbackKept, findFeedback, insertFeedback, selectHolds } from '../db/triage.js';
import { enqueueEventIf } from '../db/webhooks.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../domain/errors.js';
import { checkFeedback } from '../domain/feedback.js';
import { renderInstant } from '../domain/time.js';
import { FEEDBACK_RECEIVED } from './events.js';
import { getAppointment } from './find.js';
import { type OpenedLink, openPatientLink } from './patient-link.js';

export interface FeedbackView {
  appointmentId: string;
  status: 'pending' | 'received';
  rating: number | null;
  comment: string | null;
  submittedAt: string | null;
}

type Kept = { rating: number; comment: string | null; submittedAt: number };

const renderFeedback = (tenant: Tenant, appointmentId: string, kept: Kept | null): FeedbackView => ({
  appointmentId,
  status: kept ? 'received' : 'pending',
  rating: kept?.rating ?? null,
  comment: kept?.comment ?? null,
  submittedAt: kept ? renderInstant(kept.submittedAt, tenant.config.timezone) : null,
});

export interface FeedbackForm extends OpenedLink {
  given: Kept | null;
}

/** Opens a feedback link (invalid_signature, link_expired as any patient link). */
export async function openFeedback(deps: AppDeps, token: string): Promise<FeedbackForm> {
  const link = await openPatientLink(deps, token, 'feedback');
  const row = await findFeedback(deps.store.db, link.tenant.id, link.appointment.id);
  return { ...link, given: row ?? null };
}

/** Keeps the patient's rating once, with its webhook event; only for a visit marked attended. */
export async function submitFeedback(
  deps: AppDeps,
  token: string,
  given: { rating?: unknown; comment?: unknown },
): Promise<FeedbackView> {
  const form = await openFeedback(deps, token);
  const { tenant, appointment } = form;
  const alreadyAnswered = new AppError('already_answered', 'This visit was already rated');
  if (form.given) throw alreadyAnswered;
  if (appointment.status !== 'attended') {
    throw new AppError('invalid_transition', 'Only a visit marked attended can be rated');
  }
  const { rating, comment } = checkFeedback(given);
  const now = deps.clock.now();
  const submissionId = crypto.randomUUID();
  const kept = feedbackKept(tenant.id, appointment.id, submissionId);
  const feedback = renderFeedback(tenant, appointment.id, { rating, comment, submittedAt: now });
  const eventId = `evt_${crypto.randomUUID().replace(/-/g, '')}`;
  const payload = JSON.stringify({
    id: eventId,
    type: FEEDBACK_RECEIVED,
    createdAt: renderInstant(now, tenant.config.timezone),
    tenantId: tenant.id,
    data: { feedback },
  });
  const results = await deps.store.atomic(
    [
      // Still attended as the unit runs (a status corrected since the page read it).
      insertFeedback(
        {
          tenantId: tenant.id,
          appointmentId: appointment.id,
          rating,
          comment,
          submissionId,
          submittedAt: now,
        },
        appointmentStill(tenant.id, appointment.id, ['attended']),
      ),
      enqueueEventIf({ id: eventId, type: FEEDBACK_RECEIVED, tenantId: tenant.id, payload, now }, kept),
      selectHolds(kept),
    ].map(compile),
  );
  if (!results.at(-1)?.rows[0]?.holds) {
    if (await findFeedback(deps.store.db, tenant.id, appointment.id)) throw alreadyAnswered;
    throw new AppError('invalid_transition', 'Only a visit marked attended can be rated');
  }
  return feedback;
}

/** An appointment's feedback as its clinic reads it (404 for another clinic's appointment). */
export async function appointmentFeedback(deps: AppDeps, tenant: Tenant, id: string): Promise<FeedbackView> {
  const appointment = await getAppointment(deps, tenant, id);
  const row = await findFeedback(deps.store.db, tenant.id, appointment.id);
  return renderFeedback(tenant, appointment.id, row ?? null);
}
