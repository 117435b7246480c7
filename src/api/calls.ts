// /v1/calls: the calls voice platforms reported, with their events (Mivicall's call detail shape),
// calling a caller back, and a call's recording behind our own expiring link (/recordings/…).
import { createRoute, type z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { grants } from '../accounts/scopes.js';
import { callSubject, recordAudit } from '../booking/audit.js';
import { maskPhone } from '../domain/phone-mask.js';
import { renderInstant, renderOptionalInstant } from '../domain/time.js';
import { refusalAnswer } from '../http/answer.js';
import type { AppEnv } from '../http/env.js';
import { requireScope } from '../http/middleware.js';
import { publicBase } from '../http/public-base.js';
import { createRouter } from '../http/router.js';
import { type CallbackView, placeCallback } from '../voice/callbacks.js';
import { type CallEventRecord, type CallRecord, findCalls, getCall } from '../voice/calls.js';
import {
  openRecording,
  RECORDING_LINK_PREFIX,
  recordingLink,
  signRecordingLink,
} from '../voice/recordings.js';
import { WEBHOOK_PREFIX } from '../voice/webhooks.js';
import {
  CallbackSchema,
  CallDetailSchema,
  type CallEventSchema,
  CallListQuery,
  CallListSchema,
  type CallSchema,
  RecordingLinkSchema,
} from './schemas/call.js';
import { errorResponses, IdempotencyHeader, IdParam, jsonContent } from './schemas/common.js';

/**
 * A call as the API shows it: the caller as hash and masked form, the raw number only when allowed;
 * the recording as our own link valid 24 hours, never the platform's URL.
 */
const renderCall = async (
  c: Context<AppEnv>,
  call: CallRecord,
  zone: string,
  readPhone: boolean,
): Promise<z.infer<typeof CallSchema>> => {
  const { fromNumber, recordingUrl, ...rest } = call;
  const recording = recordingUrl
    ? await signRecordingLink(c.var.deps, call.id, publicBase(c), c.var.credential.tenant.clinicRef)
    : null;
  return {
    ...rest,
    fromNumberMasked: fromNumber ? maskPhone(fromNumber) : null,
    ...(readPhone ? { fromNumber } : {}),
    startedAt: renderInstant(call.startedAt, zone),
    endedAt: renderOptionalInstant(call.endedAt, zone),
    recordingUrl: recording?.url ?? null,
    recordingExpiresAt: recording ? renderInstant(recording.expiresAt, zone) : null,
  };
};

const readsPhones = (credential: { scopes: readonly string[] }) =>
  grants(credential.scopes, 'calls:read_phone');

const renderEvent = (event: CallEventRecord, zone: string): z.infer<typeof CallEventSchema> => ({
  ...event,
  occurredAt: renderInstant(event.occurredAt, zone),
});

const listRoute = createRoute({
  method: 'get',
  path: '/v1/calls',
  tags: ['Calls'],
  summary: 'List calls',
  description: 'Newest first, cursor pagination.',
  middleware: [requireScope('calls:read')],
  request: { query: CallListQuery },
  responses: {
    200: jsonContent(CallListSchema, 'Calls'),
    ...errorResponses(422),
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/v1/calls/{id}',
  tags: ['Calls'],
  summary: 'Call detail: the call and its events',
  middleware: [requireScope('calls:read')],
  request: { params: IdParam },
  responses: {
    200: jsonContent(CallDetailSchema, 'The call'),
    ...errorResponses(404),
  },
});

const callbackRoute = createRoute({
  method: 'post',
  path: '/v1/calls/{id}/callback',
  tags: ['Calls'],
  summary: 'Call the caller back',
  description:
    "Asks the integration that took the call (Vapi, Retell, Twilio or Telnyx) to dial the caller's " +
    "number now, with the integration's `outbound` settings and API secret. No body. With an " +
    'Idempotency-Key one call is placed per key; at most 3 callbacks per call per hour. 409 ' +
    '`caller_number_unavailable` when the number was withheld or is past the call retention; 409 ' +
    '`callback_not_configured` when the integration cannot dial; 502 `platform_error` with the ' +
    "platform's reason when it refuses (a 4xx: the key is given back) or did not answer (a timeout or " +
    '5xx: the call may have rung, so the 502 is kept with the key and a retry never dials again).',
  middleware: [requireScope('callbacks:write')],
  request: { params: IdParam, headers: IdempotencyHeader },
  responses: {
    202: jsonContent(CallbackSchema, 'The platform accepted the call and rings the caller'),
    ...errorResponses(400, 404, 409, 413, 415, 422, 502),
  },
});

const recordingRoute = createRoute({
  method: 'get',
  path: '/v1/calls/{id}/recording',
  tags: ['Calls'],
  summary: "A link to the call's recording, valid 24 hours",
  description:
    'The recording the voice platform reported (Vapi, Retell), behind our own signed link: it needs ' +
    'no API key, streams the audio, and answers 410 `link_expired` after 24 hours (ask again for a ' +
    'new one). 404 `recording_not_found` when the platform reported none.',
  middleware: [requireScope('calls:read')],
  request: { params: IdParam },
  responses: {
    200: jsonContent(RecordingLinkSchema, 'The link and when it stops working'),
    ...errorResponses(404),
  },
});

const renderCallback = (view: CallbackView, zone: string): z.infer<typeof CallbackSchema> => ({
  ...view,
  createdAt: renderInstant(view.createdAt, zone),
});

export const callRoutes = createRouter()
  .openapi(listRoute, async (c) => {
    const { tenant } = c.var.credential;
    const page = await findCalls(c.var.deps, tenant, c.req.valid('query'));
    const zone = tenant.config.timezone;
    return c.json(
      {
        items: await Promise.all(
          page.items.map((call) => renderCall(c, call, zone, readsPhones(c.var.credential))),
        ),
        nextCursor: page.nextCursor,
      },
      200,
    );
  })
  .openapi(getRoute, async (c) => {
    const { tenant } = c.var.credential;
    const { call, events } = await getCall(c.var.deps, tenant, c.req.valid('param').id);
    const actor = `key:${c.var.credential.keyId}`;
    await recordAudit(c.var.deps, tenant, { actor, action: 'call.read', subject: callSubject(call.id) });
    const zone = tenant.config.timezone;
    return c.json(
      {
        call: await renderCall(c, call, zone, readsPhones(c.var.credential)),
        events: events.map((e) => renderEvent(e, zone)),
      },
      200,
    );
  })
  .openapi(callbackRoute, async (c) => {
    const { tenant, keyId } = c.var.credential;
    const origin = publicBase(c);
    const answer = await placeCallback({
      deps: c.var.deps,
      tenant,
      callId: c.req.valid('param').id,
      actor: `key:${keyId}`,
      key: { scope: `key:${keyId}`, value: c.req.header('idempotency-key') },
      webhookUrl: (integrationId) => `${origin}${WEBHOOK_PREFIX}/${integrationId}`,
      render: (view) => JSON.stringify(renderCallback(view, tenant.config.timezone)),
      renderRefusal: (error) => refusalAnswer(error, c.var.requestId),
    });
    // The recorded bytes, not re-serialised: a replay is byte-identical. They are CallbackSchema's JSON
    // (202) or, when a dial's outcome was unknown, the 502 envelope recorded with the key.
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (answer.replayed) headers['idempotent-replayed'] = 'true';
    return c.body(answer.body, answer.status as 202, headers) as unknown as ReturnType<
      typeof c.json<z.infer<typeof CallbackSchema>, 202>
    >;
  })
  .openapi(recordingRoute, async (c) => {
    const { tenant } = c.var.credential;
    const link = await recordingLink(c.var.deps, tenant, c.req.valid('param').id, publicBase(c));
    return c.json({ url: link.url, expiresAt: renderInstant(link.expiresAt, tenant.config.timezone) }, 200);
  });

/** The signed recording links, fetched without an API key (the signature is the permission). */
export const recordingLinks = createRouter().get(`${RECORDING_LINK_PREFIX}/:callId`, (c) =>
  openRecording(c.var.deps, {
    callId: c.req.param('callId'),
    expires: c.req.query('expires'),
    signature: c.req.query('signature'),
    range: c.req.header('range'),
  }),
);
