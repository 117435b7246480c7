// /v1/professionals and /v1/services: the same five routes over the clinic's catalogue.
import { createRoute, type z } from '@hono/zod-openapi';
import type { Scope } from '../accounts/scopes.js';
import {
  type CatalogKind,
  type CatalogRow,
  createItem,
  getItem,
  listItems,
  removeItem,
  updateItem,
} from '../booking/catalog.js';
import { requireScope } from '../http/middleware.js';
import { createRouter } from '../http/router.js';
import {
  CatalogListQuery,
  ProfessionalCreateSchema,
  ProfessionalPatchSchema,
  ProfessionalSchema,
  renderProfessional,
  renderService,
  ServiceCreateSchema,
  ServicePatchSchema,
  ServiceSchema,
} from './schemas/catalog.js';
import {
  errorResponses,
  IdParam,
  jsonBody,
  jsonContent,
  listOf,
  writeErrorResponses,
} from './schemas/common.js';

interface CatalogResource<K extends CatalogKind> {
  kind: K;
  path: string;
  tag: string;
  noun: string;
  read: Scope;
  write: Scope;
  schema: z.ZodType;
  createSchema: z.ZodObject;
  patchSchema: z.ZodObject;
  render: (row: CatalogRow<K>, zone: string) => unknown;
}

export function catalogRoutes<K extends CatalogKind>(r: CatalogResource<K>) {
  const item = `${r.path}/{id}`;
  const list = createRoute({
    method: 'get',
    path: r.path,
    tags: [r.tag],
    summary: `List ${r.noun}s`,
    middleware: [requireScope(r.read)] as const,
    request: { query: CatalogListQuery },
    responses: {
      200: jsonContent(listOf(r.schema), `The ${r.noun}s`),
      ...errorResponses(422),
    },
  });
  const create = createRoute({
    method: 'post',
    path: r.path,
    tags: [r.tag],
    summary: `Create a ${r.noun}`,
    middleware: [requireScope(r.write)] as const,
    request: { body: jsonBody(r.createSchema) },
    responses: { 201: jsonContent(r.schema, `The new ${r.noun}`), ...writeErrorResponses(404, 409) },
  });
  const get = createRoute({
    method: 'get',
    path: item,
    tags: [r.tag],
    summary: `Get a ${r.noun}`,
    middleware: [requireScope(r.read)] as const,
    request: { params: IdParam },
    responses: { 200: jsonContent(r.schema, `The ${r.noun}`), ...errorResponses(404) },
  });
  const patch = createRoute({
    method: 'patch',
    path: item,
    tags: [r.tag],
    summary: `Update a ${r.noun}`,
    middleware: [requireScope(r.write)] as const,
    request: { params: IdParam, body: jsonBody(r.patchSchema) },
    responses: { 200: jsonContent(r.schema, `The updated ${r.noun}`), ...writeErrorResponses(404, 409) },
  });
  const remove = createRoute({
    method: 'delete',
    path: item,
    tags: [r.tag],
    summary: `Remove a ${r.noun}`,
    description:
      `A ${r.noun} with future confirmed appointments is deactivated instead (200 with the ${r.noun}, ` +
      '`active: false`); otherwise it is removed (204) and past appointments keep their reference.',
    middleware: [requireScope(r.write)] as const,
    request: { params: IdParam },
    responses: {
      200: jsonContent(r.schema, 'Deactivated: future appointments still need it'),
      204: { description: 'Removed' },
      ...errorResponses(404),
    },
  });

  return createRouter()
    .openapi(list, async (c) => {
      const { active } = c.req.valid('query');
      const { tenant } = c.var.credential;
      const rows = await listItems(c.var.deps.store.db, r.kind, tenant.id, {
        active: active === undefined ? undefined : active === 'true',
      });
      return c.json({ items: rows.map((row) => r.render(row, tenant.config.timezone)) }, 200);
    })
    .openapi(create, async (c) => {
      const { tenant } = c.var.credential;
      const { store, clock } = c.var.deps;
      const row = await createItem(store, r.kind, tenant.id, c.req.valid('json'), clock.now());
      c.header('Location', `${r.path}/${row.id}`);
      return c.json(r.render(row, tenant.config.timezone), 201);
    })
    .openapi(get, async (c) => {
      const { tenant } = c.var.credential;
      const row = await getItem(c.var.deps.store.db, r.kind, tenant.id, c.req.valid('param').id);
      return c.json(r.render(row, tenant.config.timezone), 200);
    })
    .openapi(patch, async (c) => {
      const { tenant } = c.var.credential;
      const { store, clock } = c.var.deps;
      const row = await updateItem(
        store,
        r.kind,
        tenant.id,
        c.req.valid('param').id,
        c.req.valid('json'),
        clock.now(),
      );
      return c.json(r.render(row, tenant.config.timezone), 200);
    })
    .openapi(remove, async (c) => {
      const { tenant } = c.var.credential;
      const { store, clock } = c.var.deps;
      const result = await removeItem(store.db, r.kind, tenant.id, c.req.valid('param').id, clock.now());
      if (result.outcome === 'removed') return c.body(null, 204);
      return c.json(r.render(result.item, tenant.config.timezone), 200);
    });
}

export const professionalRoutes = catalogRoutes({
  kind: 'professional',
  path: '/v1/professionals',
  tag: 'Professionals',
  noun: 'professional',
  read: 'professionals:read',
  write: 'professionals:write',
  schema: ProfessionalSchema,
  createSchema: ProfessionalCreateSchema,
  patchSchema: ProfessionalPatchSchema,
  render: renderProfessional,
});

export const serviceRoutes = catalogRoutes({
  kind: 'service',
  path: '/v1/services',
  tag: 'Services',
  noun: 'service',
  read: 'services:read',
  write: 'services:write',
  schema: ServiceSchema,
  createSchema: ServiceCreateSchema,
  patchSchema: ServicePatchSchema,
  render: renderService,
});
