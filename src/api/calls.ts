// /v1/calls: the calls voice platforms reported, with their events (Mivicall's call detail shape).
import { createRoute, type z } from '@hono/zod-openapi';
import type { Tenant } from '../accounts/tenants.js';
import { type CallEventRow, type CallRow, findCall, listCallEvents, listCalls } from '../db/voice.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../domain/errors.js';
import { renderInstant, renderOptionalInstant } from '../domain/time.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';
import { requireScope } from '../http/middleware.js';
import { createRouter } from '../http/router.js';
import { callerContext } from '../voice/session.js';
import {
  CallDetailSchema,
  type CallEventSchema,
  CallListQuery,
  CallListSchema,
  type CallSchema,
} from './schemas/call.js';
import { errorResponses, IdParam, jsonContent } from './schemas/common.js';

async function renderCall(deps: AppDeps, tenant: Tenant, row: CallRow): Promise<z.infer<typeof CallSchema>> {
  const zone = tenant.config.timezone;
  return {
    id: row.id,
    platform: row.platform,
    externalCallId: row.externalCallId,
    fromNumber: row.fromNumberEncrypted
      ? await deps.vault.decrypt(row.fromNumberEncrypted, callerContext(row))
      : null,
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

const renderEvent = (e: CallEventRow, sequence: number, zone: string): z.infer<typeof CallEventSchema> => ({
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
        items: await Promise.all(page.map((r) => renderCall(c.var.deps, tenant, r))),
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
        call: await renderCall(c.var.deps, tenant, row),
        events: events.map((e, i) => renderEvent(e, i + 1, tenant.config.timezone)),
      },
      200,
    );
  });
