// Sending queued messages: each one is leased by one runner (racing runners, a timer and a cron, or
// two processes, leave it to whoever leased it first), checked again against the clinic's settings,
// the appointment, quiet hours and the patient's consent, rendered, counted against the patient's
// daily cap and handed to the clinic's provider. A 429, a 5xx or no answer is retried with backoff up
// to MESSAGE_BACKOFF_MS's length; any other refusal is final. A message is marked `sending` before
// the provider is asked: one whose runner died before the answer was recorded becomes `unknown`, not
// a second SMS (neither provider can be asked whether it took a message we name).

import { isSandbox } from '../accounts/sandbox.js';
import { readTenantConfig } from '../accounts/tenant-config.js';
import { appointmentSeal } from '../booking/book.js';
import { patientLink } from '../booking/patient-link.js';
import {
  abandonStaleSends,
  claimSend,
  dueMessages,
  findSenderByChannel,
  hasOptedOut,
  leaseMessage,
  type MessageRow,
  messageSubject,
  recordSendResult,
  stillLeased,
  updateMessage,
} from '../db/messages.js';
import { NO_PHONE } from '../db/patient-data.js';
import { findTenant } from '../db/tenants.js';
import type { AppDeps } from '../deps.js';
import type { MessageKind } from '../domain/message-vocabulary.js';
import { maskPhone } from '../domain/phone-mask.js';
import type { AppointmentSource } from '../domain/source.js';
import type { AppointmentStatus } from '../domain/status.js';
import { isBlocking } from '../domain/status.js';
import { localDate, localDay, MINUTE } from '../domain/time.js';
import type { LinkScope } from '../security/patient-token.js';
import { readMessagingSettings } from './clinic-settings.js';
import { telnyxRest } from './providers/telnyx.js';
import { twilioRest } from './providers/twilio-rest.js';
import type { MessageProviders, SendResult } from './providers/types.js';
import { quietWindowAt } from './quiet-hours.js';
import { countSegments } from './segments.js';
import { senderCredentials, senderWebhookPath } from './senders.js';
import { templateFor } from './settings.js';
import { fillTemplate, messageLanguageOf, whenValues } from './templates.js';

/** Which page a message's {link} opens. */
const LINK_SCOPE_OF: Record<MessageKind, LinkScope> = {
  confirmation: 'patient-link',
  reschedule: 'patient-link',
  cancellation: 'patient-link',
  reminder: 'patient-link',
  triage: 'triage',
  feedback: 'feedback',
};

/** Waits after each failed attempt: 1 min, 5 min, 30 min, 2 h, then the message has failed. */
export const MESSAGE_BACKOFF_MS = [1, 5, 30, 120].map((m) => m * MINUTE);
// A runner holds a message this long (longer than one attempt's timeout); one that died lets it go.
const LEASE_MS = 60_000;
const BATCH = 50;
const IN_FLIGHT = 4;

export interface MessageReport {
  sent: number;
  retried: number;
  failed: number;
  skipped: number;
  /** Found `sending` with their lease run out (a runner died mid-send): recorded `unknown`. */
  unknown: number;
}

/**
 * Bookings the patient is making at that moment (a call, the booking page): their confirmation goes
 * even in quiet hours, since the patient is waiting for it. Every other notice waits for them to end.
 */
const PATIENT_PRESENT: readonly AppointmentSource[] = ['voice_ai', 'self_service'];

/** The runtime's provider clients, or the fetch ones with the providers' own addresses. */
export const providersOf = (deps: AppDeps): MessageProviders =>
  deps.messageProviders ?? { twilio: twilioRest(), telnyx: telnyxRest() };

type Outcome = Exclude<keyof MessageReport, 'unknown'>;

const skip = async (deps: AppDeps, row: MessageRow, now: number, why: string): Promise<Outcome> => {
  await updateMessage(deps.store.db, row.id, { status: 'skipped', lastError: why, updatedAt: now });
  return 'skipped';
};

/** One leased message; null when the lease was lost before it went (another runner has it). */
async function attempt(
  deps: AppDeps,
  row: MessageRow,
  now: number,
  leasedUntil: number,
): Promise<Outcome | null> {
  const db = deps.store.db;
  const tenantRow = await findTenant(db, row.tenantId);
  const settings = await readMessagingSettings(deps, row.tenantId);
  if (!tenantRow || !settings.enabled) return skip(deps, row, now, 'Messages are turned off');
  const config = readTenantConfig(tenantRow.config);
  const subject = await messageSubject(db, row.tenantId, row.appointmentId);
  if (!subject) return skip(deps, row, now, 'Appointment removed');
  if (subject.phoneSealed === NO_PHONE) return skip(deps, row, now, "Patient's number erased");
  const blocking = isBlocking(subject.status as AppointmentStatus);
  if (row.kind === 'reminder') {
    if (!blocking || subject.startsAt !== row.expiresAt)
      return skip(deps, row, now, 'Appointment moved or cancelled');
    if (now >= subject.startsAt) return skip(deps, row, now, 'Appointment already started');
    const quiet = settings.quietHours && quietWindowAt(now, config.timezone, settings.quietHours);
    if (quiet) {
      if (quiet.to >= subject.startsAt) return skip(deps, row, now, 'Quiet hours until the appointment');
      await updateMessage(db, row.id, { nextAttemptAt: quiet.to, updatedAt: now });
      return 'retried';
    }
  }
  if ((row.kind === 'confirmation' || row.kind === 'reschedule') && !blocking) {
    return skip(deps, row, now, 'Appointment cancelled before the message went');
  }
  if (row.kind === 'triage' && (!blocking || now >= subject.startsAt)) {
    return skip(deps, row, now, 'Appointment cancelled or already started');
  }
  if (row.kind === 'feedback' && subject.status !== 'attended') {
    return skip(deps, row, now, 'Visit no longer marked attended');
  }
  // A triage or feedback message is only its link: without a public address there is nothing to send.
  const linkScope = LINK_SCOPE_OF[row.kind];
  if (linkScope !== 'patient-link' && !deps.publicBaseUrl) {
    return skip(deps, row, now, 'No PUBLIC_BASE_URL to make the link with');
  }
  // A notice of a change made at night waits for the morning, unless the visit comes first (the
  // patient must hear of it before they set out) or the patient is booking right now.
  const patientWaiting =
    row.kind === 'confirmation' && PATIENT_PRESENT.includes(subject.source as AppointmentSource);
  if (row.kind !== 'reminder' && !patientWaiting && settings.quietHours) {
    const quiet = quietWindowAt(now, config.timezone, settings.quietHours);
    // Feedback comes after the visit: it always waits for the morning.
    if (quiet && (row.kind === 'feedback' || quiet.to < subject.startsAt)) {
      await updateMessage(db, row.id, { nextAttemptAt: quiet.to, updatedAt: now });
      return 'retried';
    }
    // A triage form is no news the patient must have at night: when the visit comes before the
    // morning, it is not sent at all.
    if (quiet && row.kind === 'triage') return skip(deps, row, now, 'Quiet hours until the appointment');
  }

  const e164 = await deps.vault.decrypt(
    subject.phoneSealed,
    appointmentSeal(row.tenantId, row.appointmentId),
  );
  const phoneHash = await deps.vault.hash(e164, row.tenantId);
  const toMasked = maskPhone(e164);
  const known = { phoneHash, toMasked, updatedAt: now };
  // Every hash the number may be stored under (key rotation): consent and the cap follow the patient.
  const hashes = await deps.vault.lookupHashes(e164, tenantRow);
  if (await hasOptedOut(db, row.tenantId, hashes)) {
    await updateMessage(db, row.id, { ...known, status: 'skipped', lastError: 'Patient opted out' });
    return 'skipped';
  }
  const sender = await findSenderByChannel(db, row.tenantId, settings.channel);
  if (!sender) {
    await updateMessage(db, row.id, {
      ...known,
      status: 'failed',
      lastError: `No ${settings.channel} sender configured`,
    });
    return 'failed';
  }

  const language = settings.language ?? messageLanguageOf(config.language);
  const template = templateFor(settings, row.kind, language);
  const link =
    template.includes('{link}') && deps.publicBaseUrl
      ? await patientLink(
          deps,
          {
            tenantId: row.tenantId,
            clinicRef: tenantRow.clinicRef,
            id: row.appointmentId,
            startsAt: subject.startsAt,
          },
          deps.publicBaseUrl,
          linkScope,
        )
      : null;
  // A triage or feedback message without its link says nothing (a clinic's template may also drop it).
  if (linkScope !== 'patient-link' && !link) {
    await updateMessage(db, row.id, { ...known, status: 'skipped', lastError: 'No link to send' });
    return 'skipped';
  }
  const body = fillTemplate(template, {
    link: link?.url ?? '',
    clinic: tenantRow.name,
    patient: subject.patientName.split(/\s+/)[0] ?? '',
    professional: subject.professional,
    service: subject.service ?? '',
    ...whenValues(subject.startsAt, config.timezone, language),
  });
  const { segments, encoding } = countSegments(body);
  const message = {
    channel: sender.channel,
    to: e164,
    from: sender.fromNumber,
    body,
    statusCallback: deps.publicBaseUrl ? deps.publicBaseUrl + senderWebhookPath(sender.id) : undefined,
  };
  // A sandbox (test keys) never reaches a patient: the row shows what would have gone, and stops here.
  if (isSandbox(tenantRow)) {
    await updateMessage(db, row.id, {
      ...known,
      segments,
      encoding,
      status: 'skipped',
      lastError: 'Sandbox (test key): not sent',
    });
    return 'skipped';
  }
  // Counted against the daily cap and marked `sending` in one statement, only while the lease holds.
  const attempts = row.attempts + 1;
  const carried = {
    ...known,
    channel: sender.channel,
    provider: sender.provider,
    senderId: sender.id,
    segments,
    encoding,
  };
  const claimed = await claimSend(db, row, leasedUntil, {
    at: now,
    cap: settings.dailyCapPerPatient,
    day: localDay(localDate(now, config.timezone), config.timezone)!,
    hashes,
    patch: carried,
  });
  if (!claimed) {
    if (!(await stillLeased(db, row.id, leasedUntil))) return null;
    // Skipped, not held: a message held for tomorrow would be stale (a reminder for today's visit, a
    // confirmation a day late) and would only move the flood to the next day.
    await updateMessage(db, row.id, {
      ...carried,
      status: 'skipped',
      lastError: `Daily cap reached (${settings.dailyCapPerPatient} messages to this patient today)`,
    });
    return 'skipped';
  }
  const providers = providersOf(deps);
  let result: SendResult;
  if (sender.provider === 'twilio') {
    result = await providers.twilio.send(
      await senderCredentials(deps, { ...sender, provider: 'twilio' }),
      message,
    );
  } else {
    result = await providers.telnyx.send(
      await senderCredentials(deps, { ...sender, provider: 'telnyx' }),
      message,
    );
  }
  const answered = deps.clock.now();
  if (result.ok) {
    await recordSendResult(db, row.id, {
      status: 'sent',
      providerMessageId: result.providerMessageId,
      lastError: null,
      updatedAt: answered,
    });
    return 'sent';
  }
  // The attempt cap: after the last wait the message has failed.
  const wait = result.retry ? MESSAGE_BACKOFF_MS[attempts - 1] : undefined;
  await recordSendResult(db, row.id, {
    status: wait === undefined ? 'failed' : 'queued',
    nextAttemptAt: now + (wait ?? 0),
    // Not handed over after all: it no longer counts against the day's cap.
    sentAt: null,
    lastError: result.error,
    updatedAt: answered,
  });
  return wait === undefined ? 'failed' : 'retried';
}

/**
 * Sends every due message once (of one clinic with `tenantId`); safe to run from several runners at
 * once. From `until` on (the app's clock) it takes no new message: the rest stay queued for the next
 * run.
 */
export async function sendDueMessages(
  deps: AppDeps,
  now: number,
  tenantId?: string,
  until = Number.POSITIVE_INFINITY,
): Promise<MessageReport> {
  const report: MessageReport = { sent: 0, retried: 0, failed: 0, skipped: 0, unknown: 0 };
  report.unknown = await abandonStaleSends(deps.store.db, now);
  const rows = await dueMessages(deps.store.db, now, BATCH, tenantId);
  const work = async () => {
    for (let row = rows.shift(); row; row = rows.shift()) {
      // The lease counts from when this row is taken, not from the start of the run: a row taken late
      // in a long run must not be due again (to another runner) while it is being sent.
      const at = Math.max(now, deps.clock.now());
      if (at >= until) return;
      if (!(await leaseMessage(deps.store.db, row, at, LEASE_MS))) continue;
      try {
        const outcome = await attempt(deps, row, at, at + LEASE_MS);
        if (outcome) report[outcome]++;
      } catch (error) {
        // The lease runs out and the message is tried again (or, if it was with the provider, becomes
        // unknown). The log names no number and no body: a failed query's message lists its
        // parameters (hashes among them), so only its first line.
        deps.logger.error('message_send_failed', {
          messageId: row.id,
          error: error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}` : 'unknown',
        });
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, work));
  return report;
}

/**
 * How long a kick takes new messages. It runs after the answer, and on Workers that work is cut
 * off about 30 s after the answer (waitUntil): a message claimed then, with a slow provider, could
 * be left `sending` and become `unknown`, never retried. 20 s leaves a send started at the deadline
 * room for the providers' own timeout; what is left stays queued for the timed run (the clinic's
 * alarm, the cron, Node's timer).
 */
export const KICK_DEADLINE_MS = 20_000;

// Kicks in flight per app (its deps) and clinic: a burst of writes starts one run, and asks it for
// one more pass instead of starting runs side by side.
const kicks = new WeakMap<AppDeps, Map<string, { again: boolean }>>();

/**
 * After a write that may have queued messages: sends the clinic's due ones now instead of at the next
 * tick (`AppDeps.sendMessagesAfterWrites`). Never throws: the timed run is the safety net.
 */
export async function kickMessages(deps: AppDeps, tenantId: string | undefined): Promise<void> {
  let running = kicks.get(deps);
  if (!running) {
    running = new Map();
    kicks.set(deps, running);
  }
  const key = tenantId ?? '*';
  const current = running.get(key);
  if (current) {
    current.again = true;
    return;
  }
  const state = { again: true };
  running.set(key, state);
  const until = deps.clock.now() + KICK_DEADLINE_MS;
  try {
    while (state.again && deps.clock.now() < until) {
      state.again = false;
      await sendDueMessages(deps, deps.clock.now(), tenantId, until);
    }
  } catch (error) {
    deps.logger.error('message_kick_failed', {
      error: error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}` : 'unknown',
    });
  } finally {
    running.delete(key);
  }
}
