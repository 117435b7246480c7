// Sending queued messages: each one is leased by one runner (racing runners, a timer and a cron, or
// two processes, leave it to whoever leased it first), checked again against the clinic's settings,
// the appointment and the patient's consent, rendered, and handed to the clinic's provider. A 429, a
// 5xx or no answer is retried with backoff; any other refusal is final.

import { isSandbox } from '../accounts/sandbox.js';
import { readTenantConfig } from '../accounts/tenant-config.js';
import { appointmentSeal } from '../booking/book.js';
import { patientLink } from '../booking/patient-link.js';
import {
  dueMessages,
  findSenderByChannel,
  hasOptedOut,
  leaseMessage,
  type MessageRow,
  messageSubject,
  updateMessage,
} from '../db/messages.js';
import { NO_PHONE } from '../db/patient-data.js';
import { findTenant } from '../db/tenants.js';
import type { AppDeps } from '../deps.js';
import type { MessageKind } from '../domain/message-vocabulary.js';
import { maskPhone } from '../domain/phone-mask.js';
import type { AppointmentStatus } from '../domain/status.js';
import { isBlocking } from '../domain/status.js';
import { MINUTE } from '../domain/time.js';
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
}

/** The runtime's provider clients, or the fetch ones with the providers' own addresses. */
export const providersOf = (deps: AppDeps): MessageProviders =>
  deps.messageProviders ?? { twilio: twilioRest(), telnyx: telnyxRest() };

type Outcome = keyof MessageReport;

const skip = async (deps: AppDeps, row: MessageRow, now: number, why: string): Promise<Outcome> => {
  await updateMessage(deps.store.db, row.id, { status: 'skipped', lastError: why, updatedAt: now });
  return 'skipped';
};

async function attempt(deps: AppDeps, row: MessageRow, now: number): Promise<Outcome> {
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

  const e164 = await deps.vault.decrypt(
    subject.phoneSealed,
    appointmentSeal(row.tenantId, row.appointmentId),
  );
  const phoneHash = await deps.vault.hash(e164, row.tenantId);
  const toMasked = maskPhone(e164);
  const known = { phoneHash, toMasked, updatedAt: now };
  if (await hasOptedOut(db, row.tenantId, await deps.vault.lookupHashes(e164, tenantRow))) {
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
          { tenantId: row.tenantId, id: row.appointmentId, startsAt: subject.startsAt },
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
  const attempts = row.attempts + 1;
  const carried = {
    ...known,
    attempts,
    channel: sender.channel,
    provider: sender.provider,
    senderId: sender.id,
    segments,
    encoding,
  };
  if (result.ok) {
    await updateMessage(db, row.id, {
      ...carried,
      status: 'sent',
      providerMessageId: result.providerMessageId,
      lastError: null,
      sentAt: now,
    });
    return 'sent';
  }
  const wait = result.retry ? MESSAGE_BACKOFF_MS[attempts - 1] : undefined;
  await updateMessage(db, row.id, {
    ...carried,
    status: wait === undefined ? 'failed' : 'queued',
    nextAttemptAt: now + (wait ?? 0),
    lastError: result.error,
  });
  return wait === undefined ? 'failed' : 'retried';
}

/** Sends every due message once; safe to run from several runners at once. */
export async function sendDueMessages(deps: AppDeps, now: number): Promise<MessageReport> {
  const report: MessageReport = { sent: 0, retried: 0, failed: 0, skipped: 0 };
  const rows = await dueMessages(deps.store.db, now, BATCH);
  const work = async () => {
    for (let row = rows.shift(); row; row = rows.shift()) {
      // The lease counts from when this row is taken, not from the start of the run: a row taken late
      // in a long run must not be due again (to another runner) while it is being sent.
      const at = Math.max(now, deps.clock.now());
      if (!(await leaseMessage(deps.store.db, row, at, LEASE_MS))) continue;
      try {
        report[await attempt(deps, row, at)]++;
      } catch (error) {
        // The lease runs out and the message is tried again. The log names no number and no body: a
        // failed query's message lists its parameters (hashes among them), so only its first line.
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
