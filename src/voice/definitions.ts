// Ready-to-paste tool definitions for each platform, generated from the one catalogue (tools.ts).
// OpenAI's strict mode wants every field required and the optional ones nullable: those schemas come
// from the openai package's zod helpers. Vapi, Retell and ElevenLabs read a smaller JSON Schema (one
// type per property, no anyOf, no null; their SDK types say so): there a nullable field of the
// catalogue is simply optional, and a missing key still reaches the tools as null (parseToolArgs).
// test/api/voice-definitions.test.ts checks each format against the platform's own SDK types.
import { zodFunction, zodRealtimeFunction, zodResponsesFunction } from 'openai/helpers/zod';
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

/** A property as Vapi, Retell and ElevenLabs read it: one JSON type, an optional list of values. */
export interface PlainProperty {
  type: 'string' | 'number' | 'integer' | 'boolean';
  description?: string;
  enum?: string[];
}

/** A tool's parameters as Vapi, Retell and ElevenLabs read them: only the fields that must be given are required. */
export interface PlainParameters {
  type: 'object';
  properties: Record<string, PlainProperty>;
  required: string[];
}

// Wrappers that make a field optional for the caller; what they wrap is the field's own schema.
const OPTIONAL_WRAPPERS = new Set(['nullable', 'optional', 'default', 'prefault']);
const PLAIN_TYPES = new Set<string>(['string', 'number', 'integer', 'boolean']);

function plainProperty(
  tool: string,
  key: string,
  field: z.ZodType,
): { property: PlainProperty; optional: boolean } {
  let inner = field;
  let optional = false;
  let description = field.description;
  while (OPTIONAL_WRAPPERS.has(inner._zod.def.type)) {
    optional = true;
    inner = (inner._zod.def as unknown as { innerType: z.ZodType }).innerType;
    description ??= inner.description;
  }
  // Validation keywords (lengths, ranges, patterns) are not in these platforms' schema types: the tools
  // check them on arrival with the catalogue's own zod schema, so only the shape is exported.
  const { type, enum: values } = z.toJSONSchema(inner, { io: 'input' }) as {
    type?: unknown;
    enum?: unknown[];
  };
  if (
    typeof type !== 'string' ||
    !PLAIN_TYPES.has(type) ||
    (values && !values.every((v) => typeof v === 'string'))
  ) {
    throw new Error(
      `${tool}.${key}: only strings, numbers, booleans and string enums can be exported to voice platforms`,
    );
  }
  const property: PlainProperty = { type: type as PlainProperty['type'] };
  if (description) property.description = description;
  if (values) property.enum = values as string[];
  return { property, optional };
}

/** A tool's parameters with optional fields optional (never nullable), derived from its zod schema. */
export function plainParameters(name: ToolName): PlainParameters {
  const shape = (TOOLS[name].parameters as z.ZodObject).shape as Record<string, z.ZodType>;
  const properties: Record<string, PlainProperty> = {};
  const required: string[] = [];
  for (const [key, field] of Object.entries(shape)) {
    const { property, optional } = plainProperty(name, key, field);
    properties[key] = property;
    if (!optional) required.push(key);
  }
  return { type: 'object', properties, required };
}

export interface ToolUrls {
  webhookUrl: string;
  toolsUrl: string;
}

/**
 * How Vapi authenticates each tool call (Vapi attaches it per tool, under `server`): the id of a
 * credential the clinic created in Vapi, or else a header carrying the integration's secret.
 */
export interface VapiToolAuth {
  credentialId?: string;
  /** The header Vapi sends the secret in (Authorization unless the clinic chose another). */
  headerName?: string;
}

export interface VapiServer {
  url: string;
  credentialId?: string;
  headers?: Record<string, string>;
  timeoutSeconds: number;
}

export interface VapiTool {
  type: 'function';
  function: { name: string; description: string; parameters: PlainParameters };
  server: VapiServer;
}

export interface RetellTool {
  type: 'custom';
  name: string;
  description: string;
  url: string;
  method: 'POST';
  parameters: PlainParameters;
  speak_during_execution: boolean;
  speak_after_execution: boolean;
  timeout_ms: number;
}

export interface ElevenLabsProperty {
  type: PlainProperty['type'];
  description?: string;
  enum?: string[];
  dynamic_variable?: string;
}

export interface ElevenLabsTool {
  type: 'webhook';
  name: string;
  description: string;
  response_timeout_secs: number;
  api_schema: {
    url: string;
    method: 'POST';
    request_headers: Record<string, string>;
    request_body_schema: {
      type: 'object';
      properties: Record<string, ElevenLabsProperty>;
      required: string[];
    };
  };
}

// Secrets are never part of an answer: the clinic pastes the one it chose where these stand (each names
// its field in the integration's credentials).
const VAPI_SECRET = '<your secret>';
const ELEVENLABS_SECRET = '<your toolSecret>';
const TIMEOUT_SECONDS = 20;

/** Vapi's `server`: the credential id if the clinic gave one, else the header with its secret. */
function vapiServer(url: string, auth: VapiToolAuth): VapiServer {
  if (auth.credentialId) return { url, credentialId: auth.credentialId, timeoutSeconds: TIMEOUT_SECONDS };
  const header = auth.headerName ?? 'Authorization';
  const value = header.toLowerCase() === 'authorization' ? `Bearer ${VAPI_SECRET}` : VAPI_SECRET;
  return { url, headers: { [header]: value }, timeoutSeconds: TIMEOUT_SECONDS };
}

interface Context {
  urls: ToolUrls;
  vapi: VapiToolAuth;
}

const BUILDERS = {
  openai: (name: ToolName) => {
    const { description, parameters } = TOOLS[name];
    return zodFunction({ name, description, parameters });
  },
  'openai-responses': (name: ToolName) => {
    const { description, parameters } = TOOLS[name];
    return zodResponsesFunction({ name, description, parameters });
  },
  // Realtime has no strict mode; the helper keeps the same schema and leaves `strict` out.
  'openai-realtime': (name: ToolName) => {
    const { description, parameters } = TOOLS[name];
    return zodRealtimeFunction({ name, description, parameters });
  },
  vapi: (name: ToolName, { urls, vapi }: Context): VapiTool => ({
    type: 'function',
    function: { name, description: TOOLS[name].description, parameters: plainParameters(name) },
    server: vapiServer(urls.webhookUrl, vapi),
  }),
  retell: (name: ToolName, { urls }: Context): RetellTool => ({
    type: 'custom',
    name,
    description: TOOLS[name].description,
    url: urls.webhookUrl,
    method: 'POST',
    parameters: plainParameters(name),
    speak_during_execution: false,
    speak_after_execution: true,
    timeout_ms: TIMEOUT_SECONDS * 1000,
  }),
  elevenlabs: (name: ToolName, { urls }: Context): ElevenLabsTool => {
    const { properties, required } = plainParameters(name);
    return {
      type: 'webhook',
      name,
      description: TOOLS[name].description,
      response_timeout_secs: TIMEOUT_SECONDS,
      api_schema: {
        url: `${urls.toolsUrl}/${name}`,
        method: 'POST',
        request_headers: { 'X-Agendai-Secret': ELEVENLABS_SECRET },
        request_body_schema: {
          type: 'object',
          properties: {
            ...properties,
            // Filled by ElevenLabs from the call, never by the model.
            caller_id: { type: 'string', dynamic_variable: 'system__caller_id' },
            called_number: { type: 'string', dynamic_variable: 'system__called_number' },
            conversation_id: { type: 'string', dynamic_variable: 'system__conversation_id' },
          },
          required,
        },
      },
    };
  },
} satisfies Record<ToolFormat, (name: ToolName, context: Context) => unknown>;

export type ToolDefinition<F extends ToolFormat> = ReturnType<(typeof BUILDERS)[F]>;

/** Every tool of the catalogue in one platform's format. */
export function toolDefinitions<F extends ToolFormat>(
  format: F,
  urls: ToolUrls,
  vapi: VapiToolAuth = {},
): ToolDefinition<F>[] {
  const build = BUILDERS[format] as (name: ToolName, context: Context) => ToolDefinition<F>;
  return (Object.keys(TOOLS) as ToolName[]).map((name) => build(name, { urls, vapi }));
}
