// The MCP door: one Streamable HTTP endpoint per voice integration (MCP_PREFIX/{integrationId}),
// stateless, served by the official SDK's web-standard handler on Node and Workers alike. The secret
// is checked before the SDK sees the request, under the same failed-authentication throttle as the
// webhook door; a refused request opens no call and records nothing.
import { createMcpHandler } from '@modelcontextprotocol/server';
import { Hono } from 'hono';
import { findIntegration } from '../db/voice.js';
import { AppError } from '../domain/errors.js';
import { afterAnswer } from '../http/after-answer.js';
import { throttleAuthFailures } from '../http/auth-throttle.js';
import type { AppEnv } from '../http/env.js';
import { limitBody } from '../http/middleware.js';
import { MCP_PREFIX } from '../voice/mcp-link.js';
import { authenticate } from './auth.js';
import { mcpServer } from './server.js';

// A tools/call is a few hundred bytes; the bound keeps a hostile body from being buffered.
const MAX_MCP_BYTES = 256 * 1024;

export const mcpDoor = new Hono<AppEnv>()
  .use(`${MCP_PREFIX}/*`, limitBody(MAX_MCP_BYTES))
  // POST carries every message; GET and DELETE (the 2025 transport's stream and session end) are
  // answered 405 by the stateless SDK handler, which clients take as "no stream here".
  .on(['POST', 'GET', 'DELETE'], `${MCP_PREFIX}/:integrationId`, async (c) => {
    const { requestId } = c.var;
    // The call log is written after the platform has its answer, as on the webhook door
    // (src/voice/call-log.ts): nothing the caller hears waits on it.
    const deps = { ...c.var.deps, afterAnswer: (work: () => Promise<void>) => afterAnswer(c, work) };
    const integration = await findIntegration(deps.store.db, c.req.param('integrationId'));
    if (!integration?.active) throw new AppError('not_found', 'No such MCP endpoint');
    const headers = c.req.raw.headers;
    const binding = await throttleAuthFailures(c, `integration:${integration.id}`, () =>
      authenticate(deps, integration, headers),
    );
    // One handler per request: its server factory closes over this request's clinic and credential.
    const handler = createMcpHandler(() => mcpServer({ deps, integration, binding, headers, requestId }), {
      maxRequestBodySize: MAX_MCP_BYTES,
    });
    return handler.fetch(c.req.raw);
  });
