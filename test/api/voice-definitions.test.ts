// GET /v1/voice/tools, checked against each platform's own published types (issue 11, #2): at compile
// time by assigning the definitions to the SDKs' request types, at run time by validators the compiler
// holds to those same types (`satisfies` and the key checks below), on Node and inside workerd. The
// ElevenLabs SDK's own serializer checks the same export in test/node/voice-definitions-sdk.test.ts (it
// does not load in workerd). The catalogue is read, never listed: tools added to tools.ts are checked too.
import type * as ElevenLabsWire from '@elevenlabs/elevenlabs-js/serialization/index.js';
import type { Vapi } from '@vapi-ai/server-sdk';
import type OpenAI from 'openai';
import type { LlmCreateParams } from 'retell-sdk/resources/llm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startTestApp } from '#harness';
import { TOOL_FORMATS, type ToolFormat, toolDefinitions } from '../../src/voice/definitions.js';
import { TOOLS } from '../../src/voice/tools.js';
import type { TestApp } from '../support/types.js';
import { voiceClinic } from '../support/voice.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const urls = {
  webhookUrl: 'https://agendai.example/v1/voice/webhooks/i',
  toolsUrl: 'https://agendai.example/v1/voice/webhooks/i/tools',
};

// Compile-time: each format is assignable to the request type of the platform's SDK. `npm run typecheck`
// fails here if an export drifts from what the platform publishes.
const compiled = {
  vapi: toolDefinitions('vapi', urls) satisfies Vapi.CreateToolsRequest.Function[],
  elevenlabs: toolDefinitions('elevenlabs', urls) satisfies ElevenLabsWire.ToolRequestModelToolConfig.Raw[],
  retell: toolDefinitions('retell', urls) satisfies LlmCreateParams.CustomTool[],
  openai: toolDefinitions('openai', urls) satisfies OpenAI.Chat.ChatCompletionFunctionTool[],
  'openai-responses': toolDefinitions('openai-responses', urls) satisfies OpenAI.Responses.FunctionTool[],
  'openai-realtime': toolDefinitions(
    'openai-realtime',
    urls,
  ) satisfies OpenAI.Realtime.RealtimeFunctionTool[],
};

/** Same keys on both sides: a validator below that forgets (or invents) a field of the SDK type fails to compile. */
type SameKeys<A, B> = [Exclude<keyof A, keyof B> | Exclude<keyof B, keyof A>] extends [never] ? true : never;

/** Every member of a string union, listed: the list fails to compile if it misses or invents one. */
const members =
  <U extends string>() =>
  <const L extends readonly U[]>(
    list: L & ([U] extends [L[number]] ? unknown : { missing: Exclude<U, L[number]> }),
  ) =>
    list as L;

// Vapi's JsonSchema (@vapi-ai/server-sdk): one `type` from its JsonSchemaType, no combinators, no null.
const vapiTypes = members<Vapi.JsonSchemaType>()([
  'string',
  'number',
  'integer',
  'boolean',
  'array',
  'object',
]);
const vapiFormats = members<Vapi.JsonSchemaFormat>()([
  'date-time',
  'time',
  'date',
  'duration',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'uuid',
]);
const VapiJsonSchema: z.ZodType<Vapi.JsonSchema> = z.lazy(() => z.strictObject(vapiJsonSchemaShape));
const vapiJsonSchemaShape = {
  type: z.enum(vapiTypes),
  items: VapiJsonSchema.optional(),
  properties: z.record(z.string(), VapiJsonSchema).optional(),
  description: z.string().optional(),
  pattern: z.string().optional(),
  format: z.enum(vapiFormats).optional(),
  required: z.array(z.string()).optional(),
  enum: z.array(z.string()).optional(),
  title: z.string().optional(),
};
const vapiParameters = z.strictObject({
  type: z.literal('object' satisfies Vapi.OpenAiFunctionParametersType),
  properties: z.record(z.string(), VapiJsonSchema),
  required: z.array(z.string()).optional(),
});
const vapiFunction = z.strictObject({
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/),
  strict: z.boolean().optional(),
  description: z.string().optional(),
  parameters: vapiParameters.optional(),
});
const vapiServer = z.strictObject({
  timeoutSeconds: z.number().optional(),
  credentialId: z.string().optional(),
  staticIpAddressesEnabled: z.boolean().optional(),
  encryptedPaths: z.array(z.string()).optional(),
  url: z.string().optional(),
  headers: z.record(z.string(), z.unknown()).optional(),
  backoffPlan: z.never().optional(),
});
// The Function variant of Vapi's CreateToolsRequest; the fields the export never sets are `never`.
const vapiToolShape = {
  type: z.literal('function'),
  messages: z.never().optional(),
  async: z.boolean().optional(),
  server: vapiServer.optional(),
  variableExtractionPlan: z.never().optional(),
  parameters: z.never().optional(),
  function: vapiFunction.optional(),
  rejectionPlan: z.never().optional(),
};
const VapiTool = z.strictObject(vapiToolShape) satisfies z.ZodType<Vapi.CreateToolsRequest.Function>;
const vapiKeysMatch: [
  SameKeys<typeof vapiJsonSchemaShape, Vapi.JsonSchema>,
  SameKeys<z.infer<typeof vapiParameters>, Vapi.OpenAiFunctionParameters>,
  SameKeys<z.infer<typeof vapiFunction>, Vapi.OpenAiFunction>,
  SameKeys<z.infer<typeof vapiServer>, Vapi.Server>,
  SameKeys<typeof vapiToolShape, Vapi.CreateToolsRequest.Function>,
] = [true, true, true, true, true];

// Retell's CustomTool (retell-sdk): its types leave `properties` open, so each property is held to the
// one-type form Retell's docs show.
const oneType = z.strictObject({
  type: z.enum(['string', 'number', 'integer', 'boolean']),
  description: z.string().optional(),
  enum: z.array(z.string()).optional(),
});
const retellToolShape = {
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/),
  type: z.literal('custom'),
  url: z.url(),
  args_at_root: z.boolean().optional(),
  description: z.string().optional(),
  enable_typing_sound: z.boolean().optional(),
  execution_message_description: z.string().optional(),
  execution_message_type: z.enum(['prompt', 'static_text']).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  max_retry: z.number().int().min(0).max(5).optional(),
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).optional(),
  parameter_type: z.enum(['json', 'form']).optional(),
  parameters: z
    .strictObject({
      type: z.literal('object'),
      properties: z.record(z.string(), oneType),
      required: z.array(z.string()).optional(),
    })
    .optional(),
  query_params: z.record(z.string(), z.string()).optional(),
  response_variables: z.record(z.string(), z.string()).optional(),
  speak_after_execution: z.boolean().optional(),
  speak_during_execution: z.boolean().optional(),
  timeout_ms: z.number().int().positive().optional(),
};
const RetellTool = z.strictObject(retellToolShape) satisfies z.ZodType<LlmCreateParams.CustomTool>;
const retellKeysMatch: SameKeys<typeof retellToolShape, LlmCreateParams.CustomTool> = true;

// ElevenLabs' wire format (@elevenlabs/elevenlabs-js serialization Raw types): a webhook tool, its
// api_schema, and a request body whose properties are literals of ONE type (the SDK would also take a
// list of types; the platform's model then sees a union, which the issue rules out). Fields the
// export never sets are `never`.
type ElWebhook = ElevenLabsWire.ToolRequestModelToolConfig.Webhook;
type ElApiSchema = ElevenLabsWire.WebhookToolApiSchemaConfigInput.Raw;
type ElBody = ElevenLabsWire.ObjectJsonSchemaPropertyInput.Raw;
type ElLiteral = ElevenLabsWire.LiteralJsonSchemaProperty.Raw;
const elLiteralShape = {
  type: z.enum(['boolean', 'string', 'integer', 'number']),
  description: z.string().optional(),
  enum: z.array(z.string()).optional(),
  is_system_provided: z.never().optional(),
  dynamic_variable: z.string().optional(),
  allowed_values: z.never().optional(),
  allowed_values_dynamic_variable: z.never().optional(),
  constant_value: z.never().optional(),
  is_omitted: z.never().optional(),
};
const elBodyShape = {
  property_kind: z.never().optional(),
  description: z.string().optional(),
  dynamic_variable: z.never().optional(),
  constant_value: z.never().optional(),
  is_omitted: z.never().optional(),
  type: z.literal('object'),
  required: z.array(z.string()),
  properties: z.record(z.string(), z.strictObject(elLiteralShape)),
  required_constraints: z.never().optional(),
};
const elApiSchemaShape = {
  request_headers: z.record(z.string(), z.string()).optional(),
  url: z.url(),
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).optional(),
  path_params_schema: z.never().optional(),
  query_params_schema: z.never().optional(),
  request_body_schema: z.strictObject(elBodyShape),
  response_body_schema: z.never().optional(),
  response_filter: z.never().optional(),
  content_type: z.never().optional(),
  auth_resolved_params: z.never().optional(),
  auth_connection: z.never().optional(),
};
const elWebhookShape = {
  type: z.literal('webhook'),
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/),
  description: z.string().min(1),
  response_timeout_secs: z.number().int().positive().optional(),
  disable_interruptions: z.never().optional(),
  interruption_mode: z.never().optional(),
  force_pre_tool_speech: z.never().optional(),
  pre_tool_speech: z.never().optional(),
  assignments: z.never().optional(),
  tool_call_sound: z.never().optional(),
  tool_call_sound_behavior: z.never().optional(),
  tool_error_handling_mode: z.never().optional(),
  dynamic_variables: z.never().optional(),
  execution_mode: z.never().optional(),
  api_schema: z.strictObject(elApiSchemaShape),
  follow_redirects: z.never().optional(),
  follow_redirects_allowed_domains: z.never().optional(),
};
const ElevenLabsTool = z.strictObject(elWebhookShape) satisfies z.ZodType<ElWebhook>;
const elevenLabsKeysMatch: [
  SameKeys<typeof elLiteralShape, ElLiteral>,
  SameKeys<typeof elBodyShape, ElBody>,
  SameKeys<typeof elApiSchemaShape, ElApiSchema>,
  SameKeys<typeof elWebhookShape, ElWebhook>,
] = [true, true, true, true];

/** The catalogue's own answer to "must the caller give this?": a field that refuses null. */
const requiredByCatalogue = (name: string) =>
  Object.entries((TOOLS[name as keyof typeof TOOLS].parameters as z.ZodObject).shape)
    .filter(([, field]) => !(field as z.ZodType).safeParse(null).success)
    .map(([key]) => key);
const allFields = (name: string) =>
  Object.keys((TOOLS[name as keyof typeof TOOLS].parameters as z.ZodObject).shape);

interface Schema {
  properties: Record<string, Record<string, unknown>>;
  required?: string[];
}

/** One JSON type per property, no anyOf/oneOf/null, and only the fields the caller must give are required. */
function expectPlain(tool: string, schema: Schema, extra: string[] = []) {
  expect(Object.keys(schema.properties).sort()).toEqual([...allFields(tool), ...extra].sort());
  for (const [key, property] of Object.entries(schema.properties)) {
    expect(typeof property.type, `${tool}.${key}.type`).toBe('string');
    expect(property.type, `${tool}.${key}.type`).not.toBe('null');
    expect(property, `${tool}.${key}`).not.toHaveProperty('anyOf');
    expect(property, `${tool}.${key}`).not.toHaveProperty('oneOf');
  }
  expect([...(schema.required ?? [])].sort(), `${tool}.required`).toEqual(requiredByCatalogue(tool).sort());
}

let clinic: Promise<Awaited<ReturnType<typeof voiceClinic>>> | undefined;
async function exported(format: ToolFormat) {
  clinic ??= voiceClinic(app, 'vapi', { secret: 'vapi-shared-secret-0123456789-0123456789' });
  const v = await clinic;
  const reply = await app.request('GET', '/v1/voice/tools', {
    key: v.clinic.key,
    query: { format, integrationId: v.integration.id },
  });
  expect(reply.status).toBe(200);
  expect(reply.body.format).toBe(format);
  return reply.body.tools as Record<string, any>[];
}

describe('exported tool definitions validate against the platforms’ SDK types', () => {
  it('compile-time checks are in place (typecheck)', () => {
    expect(vapiKeysMatch).toEqual([true, true, true, true, true]);
    expect(retellKeysMatch).toBe(true);
    expect(elevenLabsKeysMatch).toEqual([true, true, true, true]);
    for (const format of TOOL_FORMATS) expect(compiled[format]).toHaveLength(Object.keys(TOOLS).length);
  });

  it('every format lists every tool of the catalogue, in its order', async () => {
    const names = Object.keys(TOOLS);
    for (const format of TOOL_FORMATS) {
      const tools = await exported(format);
      expect(tools.map((t) => t.name ?? t.function?.name)).toEqual(names);
    }
  });

  it('ElevenLabs: each tool is a valid webhook tool of the ElevenLabs SDK, optional fields optional', async () => {
    for (const tool of await exported('elevenlabs')) {
      const parsed = ElevenLabsTool.safeParse(tool);
      expect(parsed.success ? [] : parsed.error.issues, tool.name).toEqual([]);
      const body = tool.api_schema.request_body_schema;
      expectPlain(tool.name, body, ['caller_id', 'called_number', 'conversation_id']);
      // The call's own data comes from ElevenLabs' system variables, never from the model.
      expect(body.properties.caller_id).toEqual({ type: 'string', dynamic_variable: 'system__caller_id' });
      expect(body.required).not.toContain('caller_id');
      expect(tool.api_schema.request_headers).toEqual({ 'X-Agendai-Secret': '<your toolSecret>' });
    }
  });

  it('Vapi: each tool is a valid function tool of the Vapi SDK, optional fields optional', async () => {
    for (const tool of await exported('vapi')) {
      const parsed = VapiTool.safeParse(tool);
      expect(parsed.success ? [] : parsed.error.issues, tool.function?.name).toEqual([]);
      expectPlain(tool.function.name, tool.function.parameters);
    }
  });

  it('Retell: each tool is a valid custom tool of the Retell SDK, optional fields optional', async () => {
    for (const tool of await exported('retell')) {
      const parsed = RetellTool.safeParse(tool);
      expect(parsed.success ? [] : parsed.error.issues, tool.name).toEqual([]);
      expectPlain(tool.name, tool.parameters);
    }
  });

  it('OpenAI strict mode keeps every field required, the optional ones nullable', async () => {
    const strict = (tool: string, p: Schema & { additionalProperties?: unknown }) => {
      expect(p.additionalProperties).toBe(false);
      expect([...(p.required ?? [])].sort()).toEqual(allFields(tool).sort());
      for (const key of allFields(tool).filter((k) => !requiredByCatalogue(tool).includes(k))) {
        expect(JSON.stringify(p.properties[key]), `${tool}.${key}`).toContain('"null"');
      }
    };
    for (const tool of await exported('openai')) {
      expect(tool).toMatchObject({ type: 'function', function: { strict: true } });
      strict(tool.function.name, tool.function.parameters);
    }
    for (const tool of await exported('openai-responses')) {
      expect(tool).toMatchObject({ type: 'function', strict: true });
      strict(tool.name, tool.parameters);
    }
  });
});
