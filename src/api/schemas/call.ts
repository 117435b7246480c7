// Calls the voice platforms reported, and their events (Mivicall's call detail shape).
import { z } from '@hono/zod-openapi';
import { instantParam } from './appointment.js';
import { cursorParam, limitParam } from './common.js';

export const CallSchema = z
  .object({
    id: z.string(),
    platform: z.string(),
    externalCallId: z.string(),
    fromNumberHash: z.string().nullable().openapi({
      description:
        "The caller's phone hash (as patientPhoneHash: GET /v1/patients/{hash}); null when withheld",
    }),
    fromNumberMasked: z
      .string()
      .nullable()
      .openapi({ description: "The caller's number masked for people", example: '+351 ••• ••• 678' }),
    fromNumber: z.string().nullable().optional().openapi({
      description:
        "The caller's number in E.164: only for keys holding the calls:read_phone scope (not granted by *)",
    }),
    toNumber: z.string().nullable(),
    status: z.string().openapi({ example: 'completed' }),
    outcome: z.string().nullable().openapi({ example: 'booking_created' }),
    endedReason: z.string().nullable(),
    startedAt: z.string(),
    endedAt: z.string().nullable(),
    durationSeconds: z.number().nullable(),
    transcriptionWordCount: z.number().nullable(),
    recordingUrl: z
      .string()
      .nullable()
      .openapi({
        description:
          'Our signed link to the recording the platform reported, valid until recordingExpiresAt (24 h); ' +
          'read the call again (or GET /v1/calls/{id}/recording) for a fresh one',
      }),
    recordingExpiresAt: z.string().nullable(),
    metadata: z.record(z.string(), z.unknown()),
  })
  .openapi('Call');

export const CallEventSchema = z
  .object({
    id: z.string(),
    eventType: z.string().openapi({ example: 'speech' }),
    sequence: z.number().int(),
    role: z.string().nullable(),
    transcript: z.string().nullable(),
    toolName: z.string().nullable(),
    toolInput: z.unknown(),
    toolOutput: z.unknown(),
    occurredAt: z.string(),
  })
  .openapi('CallEvent');

export const CallListQuery = z.object({
  from: instantParam('Calls started at or after').optional(),
  to: instantParam('Calls started before').optional(),
  outcome: z.string().max(50).optional().openapi({ example: 'booking_created' }),
  status: z.enum(['in_progress', 'completed', 'failed']).optional(),
  limit: limitParam,
  cursor: cursorParam,
});

export const CallListSchema = z.object({ items: z.array(CallSchema), nextCursor: z.string().nullable() });

export const CallDetailSchema = z.object({ call: CallSchema, events: z.array(CallEventSchema) });

export const CallbackSchema = z
  .object({
    id: z.string(),
    callId: z.string().openapi({ description: 'The call being returned' }),
    platform: z.enum(['vapi', 'retell', 'twilio', 'telnyx']),
    status: z.literal('placed').openapi({
      description:
        'The platform accepted the call; it rings the caller now. The new call appears in /v1/calls',
    }),
    externalCallId: z.string().openapi({ description: "The platform's id of the new call" }),
    createdAt: z.string(),
  })
  .openapi('Callback');

export const RecordingLinkSchema = z
  .object({
    url: z.string().openapi({
      description:
        'Our signed link to the audio (no API key needed), valid until expiresAt; after that it answers 410',
    }),
    expiresAt: z.string().openapi({ description: '24 hours after the request' }),
  })
  .openapi('RecordingLink');
