// A call's recording, as the platform reported it (Vapi's end-of-call report, Retell's call), handed
// out only through our own expiring link: GET /v1/calls/{id}/recording signs a URL valid 24 hours;
// the link, fetched without an API key, is checked and the audio streamed from the platform. The
// platform's own URL is never shown, so a link that leaks stops working the next day.
import type { Tenant } from '../accounts/tenants.js';
import { findCall, findCallById } from '../db/voice.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../domain/errors.js';
import { HOUR } from '../domain/time.js';

export const RECORDING_LINK_TTL_MS = 24 * HOUR;
export const RECORDING_LINK_PREFIX = '/recordings';

const subject = (callId: string) => `recording:${callId}`;

export interface RecordingLink {
  url: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/**
 * Our signed link to a call's recording, valid RECORDING_LINK_TTL_MS from now (no lookup: the caller
 * checked). `clinic` names the clinic's reference for a router (Workers, one object per clinic); it
 * is not signed, because it grants nothing: a wrong one reaches a clinic without the call.
 */
export async function signRecordingLink(
  deps: AppDeps,
  callId: string,
  origin: string,
  clinicRef?: string | null,
): Promise<RecordingLink> {
  const expires = Math.floor((deps.clock.now() + RECORDING_LINK_TTL_MS) / 1000);
  const signature = await deps.links.sign(subject(callId), expires);
  const query = new URLSearchParams({
    ...(clinicRef ? { clinic: clinicRef } : {}),
    expires: String(expires),
    signature,
  });
  return {
    url: `${origin}${RECORDING_LINK_PREFIX}/${encodeURIComponent(callId)}?${query}`,
    expiresAt: expires * 1000,
  };
}

/** A link to the clinic's call's recording; 404 for another clinic's call or a call without one. */
export async function recordingLink(
  deps: AppDeps,
  tenant: Tenant,
  callId: string,
  origin: string,
): Promise<RecordingLink> {
  const call = await findCall(deps.store.db, tenant.id, callId);
  if (!call) throw new AppError('call_not_found', 'Call not found');
  if (!call.recordingUrl) {
    throw new AppError('recording_not_found', 'The voice platform reported no recording for this call');
  }
  return signRecordingLink(deps, call.id, origin, tenant.clinicRef);
}

// What the platform's answer may tell the listener; nothing else of its headers is passed on.
const PASSED_HEADERS = ['content-length', 'content-range', 'accept-ranges'];

/** Opens a signed link: checks it, then streams the recording from the platform (with Range). */
export async function openRecording(
  deps: AppDeps,
  link: { callId: string; expires: string | undefined; signature: string | undefined; range?: string },
): Promise<Response> {
  const expires = Number(link.expires);
  if (
    !Number.isSafeInteger(expires) ||
    !link.signature ||
    !(await deps.links.verify(subject(link.callId), expires, link.signature))
  ) {
    throw new AppError('invalid_signature', 'This recording link is not valid');
  }
  if (expires * 1000 <= deps.clock.now()) {
    throw new AppError(
      'link_expired',
      'This recording link has expired; ask for a new one (GET /v1/calls/{id}/recording)',
    );
  }
  const call = await findCallById(deps.store.db, link.callId);
  if (!call?.recordingUrl) {
    throw new AppError('recording_not_found', 'The recording is no longer available');
  }
  let upstream: Response;
  try {
    // Through the egress rule: the URL came in a webhook, so only public addresses are reached.
    upstream = await deps.egress.fetch(call.recordingUrl, {
      headers: link.range ? { range: link.range } : {},
      // Never followed: a redirect could lead past the egress check to a private address.
      redirect: 'manual',
      signal: AbortSignal.timeout(30_000),
    });
  } catch {
    throw new AppError('platform_error', 'The recording could not be fetched from the voice platform');
  }
  if (!upstream.ok) {
    await upstream.body?.cancel();
    throw new AppError(
      'platform_error',
      `The voice platform answered ${upstream.status} for the recording; it may have deleted it`,
    );
  }
  const headers = new Headers({
    'cache-control': 'private, no-store',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    // Served from our origin: whatever the platform sends can never run as a page here.
    'content-security-policy': "default-src 'none'; sandbox",
  });
  for (const name of PASSED_HEADERS) {
    const value = upstream.headers.get(name);
    if (value) headers.set(name, value);
  }
  const type = upstream.headers.get('content-type') ?? '';
  headers.set(
    'content-type',
    /^audio\/[\w.+-]+$/i.test(type.split(';')[0]!.trim()) ? type : 'application/octet-stream',
  );
  return new Response(upstream.body, { status: upstream.status === 206 ? 206 : 200, headers });
}
