import { catalogRoutes } from './catalog-routes.js';
import {
  ProfessionalCreateSchema,
  ProfessionalPatchSchema,
  ProfessionalSchema,
  renderProfessional,
} from './schemas/catalog.js';

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
