// Calling a caller back (POST /v1/calls/{id}/callback): the clinic's voice platform dials the
// number that called, which is kept sealed on the call record (src/voice/session.ts) until the
// clinic's call retention clears it.
//
// The outbound call is an effect outside our database, so the Idempotency-Key protocol runs in two
// units around it: the first claims the key and writes the callback row (only while this request
// holds the claim and the call is under its limit), the platform is asked, and the second records
// the answer (placed) or gives the key back (the platform refused or could not be reached, and a
// retry may dial again). A duplicate arriving while the first dials finds the claim without an
// answer: 409 with Retry-After, never a second call. The platforms take no idempotency key of their
// own, so a dial whose outcome is unknown (a timeout, a 5xx) may have rung the patient: it is recorded
// as `uncertain`, keeps the key with its 502 answer (a retry replays it and never dials again) and
// counts toward the call's limit. Only a plain refusal (a 4xx) gives the key back.
import { isSandbox } from '../accounts/sandbox.js';
import type { Tenant } from '../accounts/tenants.js';
import { IDEMPOTENCY_RETENTION_MS, replay, type Stored } from '../booking/command.js';
import { idempotencyFor } from '../booking/idempotency-key.js';
import {
  insertCallback,
  oldestCounted,
  releaseIfNotAdmitted,
  selectCallbackWritten,
  settleCallback,
} from '../db/callbacks.js';
import {
  claimKey,
  findFreshKey,
  holdsClaim,
  type KeyRef,
  readKey,
  recordAnswer,
  releaseUnanswered,
} from '../db/idempotency.js';
import { ALWAYS, compile } from '../db/store.js';
import { findCall, findIntegration } from '../db/voice.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../domain/errors.js';
import { HOUR } from '../domain/time.js';
import type { Platform } from './credentials.js';
import { credentialsOf } from './integrations.js';
import { API_SECRET, canDial, type DialPlatform, OUTBOUND } from './outbound/config.js';
import { type Dialer, DialFailed, PLATFORM_API_BASE_URLS, platformError } from './outbound/dial.js';
import { DIALERS } from './outbound/dialers.js';
import { callerContext } from './session.js';

/** Callbacks per call within CALLBACK_WINDOW_MS (refused ones do not count): no patient is rung over and over. */
export const CALLBACKS_PER_CALL = 3;
export const CALLBACK_WINDOW_MS = HOUR;

export interface CallbackView {
  id: string;
  callId: string;
  platform: DialPlatform;
  status: 'placed';
  externalCallId: string;
  createdAt: number;
}

export interface CallbackRequest {
  deps: AppDeps;
  tenant: Tenant;
  callId: string;
  /** Who asks, for the record: `key:<id>`. */
  actor: string;
  /** The caller's Idempotency-Key space (its API key) and the header's value. */
  key: { scope: string; value: string | undefined };
  /** The integration's webhook URL (platforms that report the new call's status there). */
  webhookUrl(integrationId: string): string;
  /** How the door answers a placed callback: the bytes recorded with the key. */
  render(view: CallbackView): string;
  /** How the door answers a failed dial, recorded with the key when the call may have been placed. */
  renderRefusal(error: AppError): { status: number; body: string; location: string | null };
}

export interface CallbackAnswer {
  status: number;
  body: string;
  replayed: boolean;
}

const notConfigured = (why: string) => new AppError('callback_not_configured', why);

/** A recorded answer (or the key's refusal), as this door answers it. */
function replayOf(stored: Stored, fingerprint: string): CallbackAnswer {
  const { answer } = replay(stored, fingerprint);
  return { status: answer.status, body: answer.body, replayed: true };
}

/** What the platform needs: its API secret and the integration's outbound settings, or why not. */
async function dialSetUp(deps: AppDeps, tenantId: string, integrationId: string) {
  const integration = await findIntegration(deps.store.db, integrationId, tenantId);
  if (!integration) throw notConfigured('The integration that took this call no longer exists');
  if (!integration.active) throw notConfigured('The integration that took this call is inactive');
  const platform = integration.platform as Platform;
  if (!canDial(platform)) {
    throw notConfigured(`Callbacks are placed through Vapi, Retell, Twilio or Telnyx, not ${platform}`);
  }
  const outbound = OUTBOUND[platform].safeParse(integration.outbound);
  if (!integration.outbound || !outbound.success) {
    throw notConfigured(
      `Set the integration's outbound settings first (PATCH /v1/voice/integrations/${integration.id})`,
    );
  }
  const credentials = (await credentialsOf(deps, integration)) as Record<string, unknown>;
  const secret = credentials[API_SECRET[platform]];
  if (typeof secret !== 'string' || !secret) {
    throw notConfigured(`Add credentials.${API_SECRET[platform]} to the integration to place callbacks`);
  }
  return { integration, platform, outbound: outbound.data, secret };
}

export async function placeCallback(req: CallbackRequest): Promise<CallbackAnswer> {
  const { deps, tenant } = req;
  const call = await findCall(deps.store.db, tenant.id, req.callId);
  if (!call) throw new AppError('call_not_found', 'Call not found');
  // A sandbox (test keys) never rings a patient.
  if (isSandbox(tenant)) {
    throw new AppError('callback_not_configured', 'Test keys (the sandbox) never place outbound calls');
  }
  const idempotency = await idempotencyFor(
    req.key.scope,
    req.key.value,
    'POST /v1/calls/{id}/callback',
    { callId: call.id },
    deps.sha256Hex,
  );
  const now = deps.clock.now();
  const cutoff = now - IDEMPOTENCY_RETENTION_MS;
  const ref: KeyRef | undefined = idempotency && { tenantId: tenant.id, key: idempotency.key };
  // A retry gets its first answer whatever changed since (the number may be gone by now).
  if (ref && idempotency) {
    const stored = await findFreshKey(deps.store.db, ref, cutoff);
    if (stored) {
      const { fingerprint, responseStatus: status, responseBody: body, responseLocation: location } = stored;
      return replayOf({ fingerprint, status, body, location }, idempotency.fingerprint);
    }
  }

  const setUp = await dialSetUp(deps, tenant.id, call.integrationId);
  if (!call.fromNumberEncrypted) {
    throw new AppError(
      'caller_number_unavailable',
      call.fromNumberHash
        ? "The caller's number is no longer kept (the clinic's call retention has passed)"
        : 'The caller withheld their number',
    );
  }
  const to = await deps.vault.decrypt(call.fromNumberEncrypted, callerContext(call));

  const id = crypto.randomUUID();
  const since = now - CALLBACK_WINDOW_MS;
  const row = {
    id,
    tenantId: tenant.id,
    callId: call.id,
    integrationId: setUp.integration.id,
    platform: setUp.platform,
    actor: req.actor,
  };
  const guard = ref ? holdsClaim(ref, id) : ALWAYS;
  const admitted = await deps.store.atomic(
    [
      ...(ref && idempotency ? [claimKey(ref, idempotency.fingerprint, id, now, cutoff)] : []),
      insertCallback(row, guard, CALLBACKS_PER_CALL, since, now),
      // Over the limit: the key goes back, so a later retry is a new attempt.
      ...(ref ? [releaseIfNotAdmitted(ref, id, id)] : []),
      ...(ref ? [readKey(ref)] : []),
      selectCallbackWritten(id),
    ].map(compile),
  );
  const written = Number(admitted.at(-1)?.rows[0]?.written ?? 0) === 1;
  if (ref && idempotency) {
    const key = admitted.at(-2)?.rows[0] as (Stored & { claim: string }) | undefined;
    if (key && key.claim !== id) return replayOf(key, idempotency.fingerprint);
  }
  if (!written) {
    const [oldest] = await deps.store.query(compile(oldestCounted(tenant.id, call.id, since)));
    const wait = Math.max(1, Math.ceil((Number(oldest?.oldest ?? now) + CALLBACK_WINDOW_MS - now) / 1000));
    throw new AppError(
      'rate_limit_exceeded',
      `This call was already called back ${CALLBACKS_PER_CALL} times in the last hour; retry in ${wait} seconds`,
      [],
      wait,
    );
  }

  // The dialer matches the platform its settings were parsed for (one lookup, one platform).
  const dial = DIALERS[setUp.platform] as Dialer<DialPlatform>;
  const base = deps.platformApiBaseUrls?.[setUp.platform] ?? PLATFORM_API_BASE_URLS[setUp.platform];
  let externalCallId: string;
  try {
    ({ externalCallId } = await dial({
      baseUrl: base.replace(/\/+$/, ''),
      secret: setUp.secret,
      outbound: setUp.outbound,
      to,
      callbackId: id,
      callId: call.id,
      webhookUrl: req.webhookUrl(setUp.integration.id),
    }));
  } catch (caught) {
    // Anything else (a request that could not even be built from the stored settings) is still the
    // platform step failing: a clear 502, never a 500.
    const error =
      caught instanceof DialFailed
        ? caught
        : platformError(setUp.platform, null, 'the request could not be made', { sent: false });
    const failure = error.message;
    const settled = deps.clock.now();
    await deps.store.atomic(
      (error.maybePlaced
        ? [
            settleCallback(id, 'uncertain', settled, { failure }),
            ...(ref ? [recordAnswer(ref, id, [{ when: ALWAYS, answer: req.renderRefusal(error) }])] : []),
          ]
        : [settleCallback(id, 'failed', settled, { failure }), ...(ref ? [releaseUnanswered(ref, id)] : [])]
      ).map(compile),
    );
    throw error;
  }
  const body = req.render({
    id,
    callId: call.id,
    platform: setUp.platform,
    status: 'placed',
    externalCallId,
    createdAt: now,
  });
  await deps.store.atomic(
    [
      settleCallback(id, 'placed', deps.clock.now(), { externalCallId }),
      ...(ref
        ? [recordAnswer(ref, id, [{ when: ALWAYS, answer: { status: 202, body, location: null } }])]
        : []),
    ].map(compile),
  );
  return { status: 202, body, replayed: false };
}
