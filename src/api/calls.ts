// /v1/calls: the calls voice platforms reported, with their events (Mivicall's call detail shape).
import type { z } from '@hono/zod-openapi';
import { createRoute } from '@hono/zod-openapi';
import { grants } from '../accounts/scopes.js';
import { callSubject, recordAudit } from '../booking/audit.js';
import { maskPhone } from '../domain/phone-mask.js';
import { renderInstant, renderOptionalInstant } from '../domain/time.js';
import { requireScope } from '../http/middleware.js';
import { createRouter } from '../http/router.js';
import { type CallEventRecord, type CallRecord, findCalls, getCall } from '../voice/calls.js';
import {
  CallDetailSchema,
  type CallEventSchema,
  CallListQuery,
  CallListSchema,
  type CallSchema,
} from './schemas/call.js';
import { errorResponses, IdParam, jsonContent } from './schemas/common.js';

/** A call as the API shows it: the caller as hash and masked form; the raw number only when allowed. */
const renderCall = (call: CallRecord, zone: string, readPhone: boolean): z.infer<typeof CallSchema> => {
  const { fromNumber, ...rest } = call;
  return {
    ...rest,
    fromNumberMasked: fromNumber ? maskPhone(fromNumber) : null,
    ...(readPhone ? { fromNumber } : {}),
    startedAt: renderInstant(call.startedAt, zone),
    endedAt: renderOptionalInstant(call.endedAt, zone),
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

export const callRoutes = createRouter()
  .openapi(listRoute, async (c) => {
    const { tenant } = c.var.credential;
    const page = await findCalls(c.var.deps, tenant, c.req.valid('query'));
    const zone = tenant.config.timezone;
    return c.json(
      {
        items: page.items.map((call) => renderCall(call, zone, readsPhones(c.var.credential))),
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
        call: renderCall(call, zone, readsPhones(c.var.credential)),
        events: events.map((e) => renderEvent(e, zone)),
      },
      200,
    );
  });
