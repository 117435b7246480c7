// Messages and callback requests the voice agent took (GET /v1/callback-requests).
import { z } from '@hono/zod-openapi';
import { CALLBACK_URGENCIES } from '../../domain/vocabulary.js';
import { cursorParam, limitParam, timestamp } from './common.js';

export const CallbackRequestSchema = z
  .object({
    id: z.string(),
    callId: z.string().nullable().openapi({ description: 'The call it was taken on (GET /v1/calls/{id})' }),
    callerName: z.string(),
    phoneHash: z.string().nullable().openapi({
      description: "The callback number's phone hash (as patientPhoneHash); null when none was given",
    }),
    phoneMasked: z.string().nullable().openapi({ example: '+351 ••• ••• 678' }),
    phone: z.string().nullable().optional().openapi({
      description:
        'The callback number in E.164: only for keys holding the calls:read_phone scope (not granted by *)',
    }),
    reason: z.string(),
    urgency: z.enum(CALLBACK_URGENCIES),
    createdAt: timestamp(),
  })
  .openapi('CallbackRequest');

export const CallbackRequestListQuery = z.object({
  callId: z.string().max(100).optional().openapi({ description: 'Only those taken on this call' }),
  limit: limitParam,
  cursor: cursorParam,
});

export const CallbackRequestListSchema = z.object({
  items: z.array(CallbackRequestSchema),
  nextCursor: z.string().nullable(),
});
