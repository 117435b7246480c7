// tools/list, built from the voice door's one catalogue (src/voice/tools.ts) so that a tool added there
// is served here too. The catalogue's parameters are nullable for OpenAI's strict mode; MCP clients
// (Vapi, ElevenLabs, Realtime) want an optional field of one type instead, so each nullable field is
// listed as optional. Arguments are still read by the catalogue's own parser (a missing key is null).
import type { Tool } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { TOOLS } from '../voice/tools.js';

function optionalFields(schema: z.ZodObject): z.ZodObject {
  return z.object(
    Object.fromEntries(
      Object.entries(schema.shape).map(([key, field]) => {
        if (!(field instanceof z.ZodNullable)) return [key, field];
        const inner = field.unwrap() as z.ZodType;
        const said = field.description ?? inner.description;
        return [key, said ? inner.optional().describe(said) : inner.optional()];
      }),
    ),
  );
}

function inputSchema(schema: z.ZodObject): Tool['inputSchema'] {
  const { $schema: _dialect, ...json } = z.toJSONSchema(optionalFields(schema), { io: 'input' });
  return { ...json, type: 'object' } as Tool['inputSchema'];
}

/** The MCP tool list: every tool of the catalogue, in its order. Built once per isolate. */
export const MCP_TOOLS: readonly Tool[] = Object.entries(TOOLS).map(([name, tool]) => ({
  name,
  description: tool.description,
  inputSchema: inputSchema(tool.parameters as z.ZodObject),
}));
