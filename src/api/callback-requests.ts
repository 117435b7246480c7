// /v1/callback-requests: messages and callback requests the voice agent took (take_message). Named
// apart from patient SMS messages, which will have a resource of their own.
import { createRoute, type z } from '@hono/zod-openapi';
import { grants } from '../accounts/scopes.js';
import { findCallbackRequests } from '../booking/callback-requests.js';
import { requireScope } from '../http/middleware.js';
import { createRouter } from '../http/router.js';
import {
  CallbackRequestListQuery,
  CallbackRequestListSchema,
  type CallbackRequestSchema,
} from './schemas/callback-request.js';
import { errorResponses, jsonContent } from './schemas/common.js';

const listRoute = createRoute({
  method: 'get',
  path: '/v1/callback-requests',
  tags: ['Calls'],
  summary: 'List messages and callback requests',
  description:
    'What callers asked the voice agent to pass on (take_message), newest first, cursor pagination. ' +
    'Each is also sent to webhooks as `callback_request.created`. The number appears in clear only ' +
    'for keys holding `calls:read_phone`.',
  middleware: [requireScope('calls:read')],
  request: { query: CallbackRequestListQuery },
  responses: {
    200: jsonContent(CallbackRequestListSchema, 'Callback requests'),
    ...errorResponses(422),
  },
});

export const callbackRequestRoutes = createRouter().openapi(listRoute, async (c) => {
  const { tenant, scopes } = c.var.credential;
  const page = await findCallbackRequests(c.var.deps, tenant, c.req.valid('query'));
  const readPhone = grants(scopes, 'calls:read_phone');
  return c.json(
    {
      items: page.items.map(
        ({ phone, ...rest }): z.infer<typeof CallbackRequestSchema> => ({
          ...rest,
          ...(readPhone ? { phone } : {}),
        }),
      ),
      nextCursor: page.nextCursor,
    },
    200,
  );
});
