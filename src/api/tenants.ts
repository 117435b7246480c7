// GET/PATCH /v1/tenants/me: the clinic behind the API key.
import { createRoute } from '@hono/zod-openapi';
import { updateTenantSettings } from '../accounts/tenants.js';
import { requireScope } from '../http/middleware.js';
import { createRouter } from '../http/router.js';
import { errorResponses, jsonBody, jsonContent, writeErrorResponses } from './schemas/common.js';
import { renderTenant, TenantPatchSchema, TenantSchema } from './schemas/tenant.js';

const getTenant = createRoute({
  method: 'get',
  path: '/v1/tenants/me',
  tags: ['Tenant'],
  summary: 'Get the clinic of the API key',
  middleware: [requireScope('tenant:read')] as const,
  responses: { 200: jsonContent(TenantSchema, 'The clinic'), ...errorResponses() },
});

const patchTenant = createRoute({
  method: 'patch',
  path: '/v1/tenants/me',
  tags: ['Tenant'],
  summary: 'Update the clinic settings',
  middleware: [requireScope('tenant:write')] as const,
  request: { body: jsonBody(TenantPatchSchema) },
  responses: { 200: jsonContent(TenantSchema, 'The updated clinic'), ...writeErrorResponses(409) },
});

export const tenantRoutes = createRouter()
  .openapi(getTenant, (c) => c.json(renderTenant(c.var.credential.tenant), 200))
  .openapi(patchTenant, async (c) => {
    const { store, clock, announce, release } = c.var.deps;
    const updated = await updateTenantSettings(
      store.db,
      c.var.credential.tenant,
      c.req.valid('json'),
      clock.now(),
      { announce, release },
    );
    return c.json(renderTenant(updated), 200);
  });
