// /v1/calls: the calls voice platforms reported, with their events (Mivicall's call detail shape).
import { createRoute, z } from '@hono/zod-openapi';
import { renderInstant, renderOptionalInstant } from '../domain/time.js';
import { requireScope } from '../http/middleware.js';
import { createRouter } from '../http/router.js';
import { type CallEventRecord, type CallRecord, findCalls, getCall } from '../voice/calls.js';
import { instantParam } from './schemas/appointment.js';
import { cursorParam, errorResponses, IdParam, jsonContent, limitParam } from './schemas/common.js';

const CallSchema = z
  .object({
    id: z.string(),
    platform: z.string(),
    externalCallId: z.string(),
    fromNumber: z.string().nullable().openapi({ description: "The caller's number (null when withheld)" }),
    toNumber: z.string().nullable(),
    status: z.string().openapi({ example: 'completed' }),
    outcome: z.string().nullable().openapi({ example: 'booking_created' }),
    endedReason: z.string().nullable(),
    startedAt: z.string(),
    endedAt: z.string().nullable(),
    durationSeconds: z.number().nullable(),
    transcriptionWordCount: z.number().nullable(),
    recordingUrl: z.string().nullable(),
    metadata: z.record(z.string(), z.unknown()),
  })
  .openapi('Call');

const EventSchema = z
  .object({
    id: z.string(),
    eventType: z.string().openapi({ example: 'speech' }),
    sequence: z.number().int(),
    role: z.string().nullable(),
    transcript: z.string().nullable(),
    toolName: z.string().nullable(),
    toolInput: z.unknown(),
    toolOutput: z.unknown(),
    occurredAt: z.string(),
  })
  .openapi('CallEvent');

const renderCall = (call: CallRecord, zone: string): z.infer<typeof CallSchema> => ({
  ...call,
  startedAt: renderInstant(call.startedAt, zone),
  endedAt: renderOptionalInstant(call.endedAt, zone),
});

const renderEvent = (event: CallEventRecord, zone: string): z.infer<typeof EventSchema> => ({
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
  request: {
    query: z.object({
      from: instantParam('Calls started at or after').optional(),
      to: instantParam('Calls started before').optional(),
      outcome: z.string().max(50).optional().openapi({ example: 'booking_created' }),
      status: z.enum(['in_progress', 'completed', 'failed']).optional(),
      limit: limitParam,
      cursor: cursorParam,
    }),
  },
  responses: {
    200: jsonContent(z.object({ items: z.array(CallSchema), nextCursor: z.string().nullable() }), 'Calls'),
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
    200: jsonContent(z.object({ call: CallSchema, events: z.array(EventSchema) }), 'The call'),
    ...errorResponses(404),
  },
});

export const callRoutes = createRouter()
  .openapi(listRoute, async (c) => {
    const { tenant } = c.var.credential;
    const page = await findCalls(c.var.deps, tenant, c.req.valid('query'));
    const zone = tenant.config.timezone;
    return c.json(
      { items: page.items.map((call) => renderCall(call, zone)), nextCursor: page.nextCursor },
      200,
    );
  })
  .openapi(getRoute, async (c) => {
    const { tenant } = c.var.credential;
    const { call, events } = await getCall(c.var.deps, tenant, c.req.valid('param').id);
    const zone = tenant.config.timezone;
    return c.json({ call: renderCall(call, zone), events: events.map((e) => renderEvent(e, zone)) }, 200);
  });
