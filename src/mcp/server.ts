// One MCP server per HTTP request (the endpoint is stateless): tools/list from the catalogue, and
// tools/call through the voice door's runner and call log, so an MCP tool call books, answers and is
// recorded exactly as a webhook tool call is. The low-level SDK server is used rather than McpServer's
// registerTool: arguments are read once, by the catalogue's own parser, as every other door reads them.
import { ProtocolError, ProtocolErrorCode, Server } from '@modelcontextprotocol/server';
import type { IntegrationRow } from '../db/voice.js';
import type { AppDeps } from '../deps.js';
import { AppError, errorMessage } from '../domain/errors.js';
import { handleToolCall } from '../voice/call-log.js';
import { derivedToolCallId } from '../voice/platforms/derived-id.js';
import { isToolName } from '../voice/tools.js';
import type { McpBinding } from './auth.js';
import { clientToolCallId, sessionFor } from './call.js';
import { MCP_TOOLS } from './catalogue.js';

export interface McpRequest {
  deps: AppDeps;
  integration: IntegrationRow;
  binding: McpBinding;
  headers: Headers;
  requestId: string;
}

const INSTRUCTIONS =
  "A clinic's booking tools for a phone agent. Check availability before booking and offer only " +
  "the times a tool offered. The patient's number defaults to the caller's: ask for one only when a " +
  'tool asks. Each tool answers with one short sentence to say to the caller.';

export function mcpServer(r: McpRequest): Server {
  const server = new Server(
    { name: 'agendai', version: '1.0.0' },
    { capabilities: { tools: {} }, instructions: INSTRUCTIONS },
  );
  server.setRequestHandler('tools/list', () => ({ tools: [...MCP_TOOLS] }));
  server.setRequestHandler('tools/call', async (request, ctx) => {
    const { name, arguments: args = {} } = request.params;
    if (!isToolName(name)) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown tool: ${name}`);
    try {
      const meta = ctx.mcpReq._meta as Record<string, unknown> | undefined;
      const session = await sessionFor(r.deps, r.integration, r.binding, r.headers, meta);
      // What the client sends to name this tool call, else what its retry repeats: the call, the
      // tool and the arguments (see derived-id.ts). Either way scoped to the call by run-tool.ts.
      const toolCallId = clientToolCallId(meta) ?? (await derivedToolCallId(session, name, args));
      const outcome = await handleToolCall(session, name, args, toolCallId);
      return { content: [{ type: 'text' as const, text: outcome.text }], isError: !outcome.ok };
    } catch (error) {
      if (error instanceof AppError && error.code === 'tenant_inactive')
        throw new ProtocolError(ProtocolErrorCode.InvalidRequest, error.message);
      // Never an internal message to the model: the log keeps it, with the request id.
      r.deps.logger.error('mcp_tool_failed', {
        requestId: r.requestId,
        tool: name,
        error: errorMessage(error),
      });
      throw new ProtocolError(ProtocolErrorCode.InternalError, `Something went wrong (${r.requestId})`);
    }
  });
  return server;
}
