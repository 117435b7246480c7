// Ready-to-paste tool definitions for each platform, generated from the one catalogue. OpenAI's
// strict schemas come from the openai package's zod helpers; the others from zod's JSON Schema.
import { zodFunction, zodResponsesFunction } from 'openai/helpers/zod';
import { z } from 'zod';
import { TOOLS, type ToolName } from './tools.js';

export const TOOL_FORMATS = [
  'openai',
  'openai-responses',
  'openai-realtime',
  'vapi',
  'retell',
  'elevenlabs',
] as const;
export type ToolFormat = (typeof TOOL_FORMATS)[number];

const names = Object.keys(TOOLS) as ToolName[];

/** Plain JSON Schema of a tool's parameters (no $schema header; nullable fields stay required-but-null). */
function jsonSchema(name: ToolName): Record<string, unknown> {
  const { $schema: _, ...schema } = z.toJSONSchema(TOOLS[name].parameters) as Record<string, unknown>;
  return schema;
}

export interface ToolUrls {
  webhookUrl: string;
  toolsUrl: string;
}

export function toolDefinitions(format: ToolFormat, urls: ToolUrls): unknown[] {
  return names.map((name) => {
    const { description, parameters } = TOOLS[name];
    switch (format) {
      case 'openai':
        return zodFunction({ name, description, parameters });
      case 'openai-responses':
        return zodResponsesFunction({ name, description, parameters });
      case 'openai-realtime': {
        const {
          type,
          name: n,
          description: d,
          parameters: p,
        } = zodResponsesFunction({ name, description, parameters });
        return { type, name: n, description: d, parameters: p };
      }
      case 'vapi':
        return {
          type: 'function',
          function: { name, description, parameters: jsonSchema(name) },
          server: { url: urls.webhookUrl },
        };
      case 'retell':
        return {
          type: 'custom',
          name,
          description,
          url: urls.webhookUrl,
          parameters: jsonSchema(name),
          speak_during_execution: false,
          speak_after_execution: true,
          timeout_ms: 20_000,
        };
      case 'elevenlabs': {
        const schema = jsonSchema(name) as { properties?: Record<string, unknown>; required?: string[] };
        return {
          type: 'webhook',
          name,
          description,
          api_schema: {
            url: `${urls.toolsUrl}/${name}`,
            method: 'POST',
            request_headers: { 'X-Agendai-Secret': '<your toolSecret>' },
            request_body_schema: {
              type: 'object',
              properties: {
                ...schema.properties,
                caller_id: { type: 'string', dynamic_variable: 'system__caller_id' },
                called_number: { type: 'string', dynamic_variable: 'system__called_number' },
                conversation_id: { type: 'string', dynamic_variable: 'system__conversation_id' },
              },
              required: schema.required ?? [],
            },
          },
        };
      }
      default:
        throw new Error(`No tool definitions for the format ${format satisfies never}`);
    }
  });
}
