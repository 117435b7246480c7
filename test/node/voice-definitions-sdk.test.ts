// The ElevenLabs export read by the ElevenLabs SDK's own serializer, exactly as `POST /v1/convai/tools`
// would take it (`{tool_config}`), with unknown keys refused. Node only: the SDK's serialization modules
// require each other in a cycle that workerd's module loader does not resolve. The same export is checked
// on both runtimes, over HTTP, in test/api/voice-definitions.test.ts.
import { ToolRequestModel } from '@elevenlabs/elevenlabs-js/serialization/index.js';
import { describe, expect, it } from 'vitest';
import { toolDefinitions } from '../../src/voice/definitions.js';
import { TOOLS } from '../../src/voice/tools.js';

const urls = {
  webhookUrl: 'https://agendai.example/v1/voice/webhooks/i',
  toolsUrl: 'https://agendai.example/v1/voice/webhooks/i/tools',
};

describe('ElevenLabs SDK serializer', () => {
  it('parses every exported tool, with one type per property and only the given fields required', () => {
    const tools = toolDefinitions('elevenlabs', urls);
    expect(tools).toHaveLength(Object.keys(TOOLS).length);
    for (const tool of tools) {
      const parsed = ToolRequestModel.parse(
        { tool_config: tool },
        {
          unrecognizedObjectKeys: 'fail',
          allowUnrecognizedEnumValues: false,
          allowUnrecognizedUnionMembers: false,
        },
      );
      expect(parsed.ok ? [] : parsed.errors, tool.name).toEqual([]);
      if (!parsed.ok || parsed.value.toolConfig.type !== 'webhook') continue;
      const body = parsed.value.toolConfig.apiSchema.requestBodySchema;
      for (const [key, property] of Object.entries(body?.properties ?? {})) {
        // The SDK also takes a list of types; the export never uses one.
        expect(typeof (property as { type?: unknown }).type, `${tool.name}.${key}`).toBe('string');
      }
      expect(body?.required).toEqual(tool.api_schema.request_body_schema.required);
    }
  });

  it('the serializer can fail: it refuses the anyOf the old export sent', () => {
    const parsed = ToolRequestModel.parse(
      {
        tool_config: {
          type: 'webhook',
          name: 'check_availability',
          description: 'x',
          api_schema: {
            url: urls.toolsUrl,
            request_body_schema: {
              type: 'object',
              properties: { partOfDay: { anyOf: [{ type: 'string' }, { type: 'null' }] } },
            },
          },
        },
      },
      { unrecognizedObjectKeys: 'fail' },
    );
    expect(parsed.ok).toBe(false);
  });
});
