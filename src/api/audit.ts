// /v1/audit-events: who read, exported or erased personal data in this clinic.
import { createRoute, z } from '@hono/zod-openapi';
import { AUDIT_ACTIONS, listAudit } from '../booking/audit.js';
import { decodeCursor, encodeCursor } from '../booking/cursor.js';
import { requireScope } from '../http/middleware.js';
import { createRouter } from '../http/router.js';
import { cursorParam, errorResponses, jsonContent, limitParam } from './schemas/common.js';
import { AuditEventSchema } from './schemas/patient-rights.js';

const listRoute = createRoute({
  method: 'get',
  path: '/v1/audit-events',
  tags: ['Audit'],
  summary: 'The audit log of personal data access',
  description:
    "Newest first, cursor pagination. Kept for the clinic's `auditRetentionDays` (default 365). Needs the " +
    '`audit:read` scope by name (`*` does not grant it).',
  middleware: [requireScope('audit:read')],
  request: {
    query: z.object({ action: z.enum(AUDIT_ACTIONS).optional(), limit: limitParam, cursor: cursorParam }),
  },
  responses: {
    200: jsonContent(
      z.object({ items: z.array(AuditEventSchema), nextCursor: z.string().nullable() }),
      'Audit events',
    ),
    ...errorResponses(422),
  },
});

export const auditRoutes = createRouter().openapi(listRoute, async (c) => {
  const { action, limit, cursor } = c.req.valid('query');
  const page = await listAudit(c.var.deps, c.var.credential.tenant, {
    action,
    limit,
    before: cursor ? decodeCursor(cursor) : undefined,
  });
  return c.json(
    {
      items: page.items as z.infer<typeof AuditEventSchema>[],
      nextCursor: page.nextCursor ? encodeCursor(page.nextCursor) : null,
    },
    200,
  );
});
