import { catalogRoutes } from './catalog-routes.js';
import { renderService, ServiceCreateSchema, ServicePatchSchema, ServiceSchema } from './schemas/catalog.js';

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
