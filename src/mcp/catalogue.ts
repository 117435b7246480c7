// tools/list, built from the voice door's one catalogue (src/voice/tools.ts) so that a tool added there
// is served here too. The catalogue's parameters are nullable for OpenAI's strict mode; MCP clients
// (Vapi, ElevenLabs, Realtime) want an optional field of one type instead, so each nullable field is
// listed as optional. Arguments are still read by the catalogue's own parser (a missing key is null).
import type { Tool } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { TOOLS } from '../voice/tools.js';

type Wrapper = z.ZodNullable | z.ZodOptional | z.ZodDefault;
const isWrapper = (f: z.ZodType): f is Wrapper =>
  f instanceof z.ZodNullable || f instanceof z.ZodOptional || f instanceof z.ZodDefault;

/** A field that may be left out (nullable, optional or defaulted) as a plain optional field of its type. */
function optionalField(field: z.ZodType): z.ZodType {
  if (!isWrapper(field)) return field;
  let inner: z.ZodType = field;
  let said = field.description;
  while (isWrapper(inner)) {
    inner = inner.unwrap() as z.ZodType;
    said ??= inner.description;
  }
  return said ? inner.optional().describe(said) : inner.optional();
}

const optionalFields = (schema: z.ZodObject) =>
  z.object(
    Object.fromEntries(Object.entries(schema.shape).map(([k, f]) => [k, optionalField(f as z.ZodType)])),
  );

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
