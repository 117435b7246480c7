// /v1/calls: the calls voice platforms reported, with their events (Mivicall's call detail shape).
import { createRoute, z } from '@hono/zod-openapi';
import { grants } from '../accounts/scopes.js';
import type { Tenant } from '../accounts/tenants.js';
import { type CallEventRow, type CallRow, findCall, listCallEvents, listCalls } from '../db/voice.js';
import type { AppDeps } from '../deps.js';
import { maskPhone } from '../domain/phone-mask.js';
import { renderInstant, renderOptionalInstant } from '../domain/time.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';
import { AppError } from '../domain/errors.js';
import { requireScope } from '../http/middleware.js';
import { createRouter } from '../http/router.js';
import { callerContext } from '../voice/session.js';
import { instantParam } from './schemas/appointment.js';
import { cursorParam, errorResponses, IdParam, jsonContent, limitParam } from './schemas/common.js';

const CallSchema = z
  .object({
    id: z.string(),
    platform: z.string(),
    externalCallId: z.string(),
    fromNumberHash: z.string().nullable().openapi({
      description:
        "The caller's phone hash (as patientPhoneHash: GET /v1/patients/{hash}); null when withheld",
    }),
    fromNumberMasked: z
      .string()
      .nullable()
      .openapi({ description: "The caller's number masked for people", example: '+351 ••• ••• 678' }),
    fromNumber: z.string().nullable().optional().openapi({
      description:
        "The caller's number in E.164: only for keys holding the calls:read_phone scope (not granted by *)",
    }),
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

/** A call as the API shows it; the caller's raw number only to keys allowed to read it. */
async function renderCall(
  deps: AppDeps,
  tenant: Tenant,
  row: CallRow,
  readPhone: boolean,
): Promise<z.infer<typeof CallSchema>> {
  const zone = tenant.config.timezone;
  const caller = row.fromNumberEncrypted
    ? await deps.vault.decrypt(row.fromNumberEncrypted, callerContext(row))
    : null;
  return {
    id: row.id,
    platform: row.platform,
    externalCallId: row.externalCallId,
    fromNumberHash: row.fromNumberHash,
    fromNumberMasked: caller ? maskPhone(caller) : null,
    ...(readPhone ? { fromNumber: caller } : {}),
    toNumber: row.toNumber,
    status: row.status,
    outcome: row.outcome,
    endedReason: row.endedReason,
    startedAt: renderInstant(row.startedAt, zone),
    endedAt: renderOptionalInstant(row.endedAt, zone),
    durationSeconds: row.durationSeconds,
    transcriptionWordCount: row.transcriptionWordCount,
    recordingUrl: row.recordingUrl,
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
  };
}

const renderEvent = (e: CallEventRow, sequence: number, zone: string): z.infer<typeof EventSchema> => ({
  id: e.id,
  eventType: e.eventType,
  sequence,
  role: e.role,
  transcript: e.transcript,
  toolName: e.toolName,
  toolInput: e.toolInput ? JSON.parse(e.toolInput) : null,
  toolOutput: e.toolOutput ? JSON.parse(e.toolOutput) : null,
  occurredAt: renderInstant(e.occurredAt, zone),
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

const readsPhones = (credential: { scopes: readonly string[] }) =>
  grants(credential.scopes, 'calls:read_phone');

export const callRoutes = createRouter()
  .openapi(listRoute, async (c) => {
    const { tenant } = c.var.credential;
    const { cursor, limit, ...filter } = c.req.valid('query');
    const rows = await listCalls(c.var.deps.store.db, {
      tenantId: tenant.id,
      ...filter,
      before: cursor ? decodeCursor(cursor) : undefined,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return c.json(
      {
        items: await Promise.all(
          page.map((r) => renderCall(c.var.deps, tenant, r, readsPhones(c.var.credential))),
        ),
        nextCursor: rows.length > limit && last ? encodeCursor({ at: last.startedAt, id: last.id }) : null,
      },
      200,
    );
  })
  .openapi(getRoute, async (c) => {
    const { tenant } = c.var.credential;
    const row = await findCall(c.var.deps.store.db, tenant.id, c.req.valid('param').id);
    if (!row) throw new AppError('call_not_found', 'Call not found');
    const events = await listCallEvents(c.var.deps.store.db, tenant.id, row.id);
    return c.json(
      {
        call: await renderCall(c.var.deps, tenant, row, readsPhones(c.var.credential)),
        events: events.map((e, i) => renderEvent(e, i + 1, tenant.config.timezone)),
      },
      200,
    );
  });
