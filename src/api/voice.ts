// /v1/voice: connect voice platforms to the clinic, and get their tool definitions.
import { createRoute, type z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { renderInstant } from '../domain/time.js';
import type { AppEnv } from '../http/env.js';
import { requireScope } from '../http/middleware.js';
import { publicBase } from '../http/public-base.js';
import { createRouter } from '../http/router.js';
import type { Platform } from '../voice/credentials.js';
import { toolDefinitions } from '../voice/definitions.js';
import {
  changeIntegration,
  createIntegration,
  credentialFields,
  getIntegration,
  listTenantIntegrations,
  type VoiceIntegration,
  vapiToolAuth,
} from '../voice/integrations.js';
import { mcpUrlOf } from '../voice/mcp-link.js';
import { TOOLS } from '../voice/tools.js';
import { WEBHOOK_PREFIX } from '../voice/webhooks.js';
import { errorResponses, IdParam, jsonBody, jsonContent, writeErrorResponses } from './schemas/common.js';
import {
  IntegrationCreateSchema,
  IntegrationListSchema,
  IntegrationPatchSchema,
  IntegrationSchema,
  ToolsQuery,
  ToolsSchema,
} from './schemas/voice.js';

const TAG = 'Voice';

const urlsOf = (c: Context<AppEnv>, id: string) => {
  const origin = publicBase(c);
  return {
    webhookUrl: `${origin}${WEBHOOK_PREFIX}/${id}`,
    toolsUrl: `${origin}${WEBHOOK_PREFIX}/${id}/tools`,
    mcpUrl: mcpUrlOf(origin, id),
  };
};

async function render(c: Context<AppEnv>, row: VoiceIntegration): Promise<z.infer<typeof IntegrationSchema>> {
  const zone = c.var.credential.tenant.config.timezone;
  return {
    id: row.id,
    platform: row.platform as Platform,
    name: row.name,
    phoneNumbers: row.phoneNumbers,
    active: row.active,
    ...urlsOf(c, row.id),
    credentialFields: await credentialFields(c.var.deps, row),
    outbound: row.outbound ?? null,
    createdAt: renderInstant(row.createdAt, zone),
    updatedAt: renderInstant(row.updatedAt, zone),
  };
}

const manage = () => [requireScope('calls:write')];

const createRouteDef = createRoute({
  method: 'post',
  path: '/v1/voice/integrations',
  tags: [TAG],
  summary: 'Connect a voice platform',
  middleware: manage(),
  request: { body: jsonBody(IntegrationCreateSchema) },
  responses: {
    201: jsonContent(IntegrationSchema, 'The integration and its webhook URL'),
    ...writeErrorResponses(),
  },
});

const listRouteDef = createRoute({
  method: 'get',
  path: '/v1/voice/integrations',
  tags: [TAG],
  summary: 'List voice integrations',
  middleware: manage(),
  responses: {
    200: jsonContent(IntegrationListSchema, 'Integrations'),
    ...errorResponses(),
  },
});

const getRouteDef = createRoute({
  method: 'get',
  path: '/v1/voice/integrations/{id}',
  tags: [TAG],
  summary: 'Get a voice integration',
  middleware: manage(),
  request: { params: IdParam },
  responses: { 200: jsonContent(IntegrationSchema, 'The integration'), ...errorResponses(404) },
});

const patchRouteDef = createRoute({
  method: 'patch',
  path: '/v1/voice/integrations/{id}',
  tags: [TAG],
  summary: 'Update a voice integration (rotate credentials, numbers, pause)',
  middleware: manage(),
  request: { params: IdParam, body: jsonBody(IntegrationPatchSchema) },
  responses: { 200: jsonContent(IntegrationSchema, 'The integration'), ...writeErrorResponses(404) },
});

const deleteRouteDef = createRoute({
  method: 'delete',
  path: '/v1/voice/integrations/{id}',
  tags: [TAG],
  summary: 'Disconnect a voice integration',
  description: 'Its webhook URL stops answering; its calls stay.',
  middleware: manage(),
  request: { params: IdParam },
  responses: { 204: { description: 'Disconnected' }, ...errorResponses(404) },
});

const toolsRouteDef = createRoute({
  method: 'get',
  path: '/v1/voice/tools',
  tags: [TAG],
  summary: 'Tool definitions to paste into a voice platform',
  description:
    `${Object.keys(TOOLS).join(', ')}, pointing at the integration URLs. Vapi, Retell and ElevenLabs get ` +
    "their platform's schema (one type per field, optional fields optional), OpenAI its strict one. " +
    "With a Vapi integration's id each tool's server carries its auth: the integration's `credentialId`, " +
    'or a header (its `headerName`, else Authorization) where the secret goes.',
  middleware: [requireScope('calls:read')],
  request: { query: ToolsQuery },
  responses: {
    200: jsonContent(ToolsSchema, 'Definitions'),
    ...errorResponses(404, 422),
  },
});

export const voiceRoutes = createRouter()
  .openapi(createRouteDef, async (c) => {
    const row = await createIntegration(c.var.deps, c.var.credential.tenant, c.req.valid('json'));
    c.header('Location', `/v1/voice/integrations/${row.id}`);
    return c.json(await render(c, row), 201);
  })
  .openapi(listRouteDef, async (c) => {
    const rows = await listTenantIntegrations(c.var.deps, c.var.credential.tenant);
    return c.json({ items: await Promise.all(rows.map((r) => render(c, r))) }, 200);
  })
  .openapi(getRouteDef, async (c) =>
    c.json(
      await render(c, await getIntegration(c.var.deps, c.var.credential.tenant, c.req.valid('param').id)),
      200,
    ),
  )
  .openapi(patchRouteDef, async (c) => {
    const row = await changeIntegration(
      c.var.deps,
      c.var.credential.tenant,
      c.req.valid('param').id,
      c.req.valid('json'),
    );
    return c.json(await render(c, row), 200);
  })
  .openapi(deleteRouteDef, async (c) => {
    await changeIntegration(c.var.deps, c.var.credential.tenant, c.req.valid('param').id, { active: false });
    return c.body(null, 204);
  })
  .openapi(toolsRouteDef, async (c) => {
    const { format, integrationId } = c.req.valid('query');
    const row = integrationId
      ? await getIntegration(c.var.deps, c.var.credential.tenant, integrationId)
      : null;
    // Vapi attaches auth per tool: the integration's Vapi credential id, or the header its secret goes in.
    const vapiAuth = row?.platform === 'vapi' ? await vapiToolAuth(c.var.deps, row) : {};
    return c.json(
      { format, tools: toolDefinitions(format, urlsOf(c, row?.id ?? '{integrationId}'), vapiAuth) },
      200,
    );
  });
