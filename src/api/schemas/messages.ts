// Messages to patients: the clinic's settings, senders and the message log.
import { z } from '@hono/zod-openapi';
import {
  MESSAGE_CHANNELS,
  MESSAGE_KINDS,
  MESSAGE_LANGUAGES,
  MESSAGE_PROVIDERS,
  MESSAGE_STATUSES,
} from '../../domain/message-vocabulary.js';
import { limitParam } from './common.js';

export const ChannelParam = z.object({ channel: z.enum(MESSAGE_CHANNELS) });

export const SenderInputSchema = z
  .object({
    provider: z.enum(MESSAGE_PROVIDERS),
    from: z
      .string()
      .regex(/^(\+[1-9]\d{6,14}|MG[0-9a-fA-F]{32})$/, 'An E.164 number (or a Twilio Messaging Service SID)')
      .openapi({ example: '+351910000000' }),
    credentials: z.record(z.string(), z.string().max(500)).openapi({
      description:
        'twilio: {accountSid, authToken}; telnyx: {apiKey, publicKey, messagingProfileId?}. Stored sealed, never shown again',
    }),
  })
  .strict()
  .openapi('MessageSenderInput');

export const SenderSchema = z
  .object({
    id: z.string(),
    channel: z.enum(MESSAGE_CHANNELS),
    provider: z.enum(MESSAGE_PROVIDERS),
    from: z.string(),
    webhookUrl: z.string().openapi({
      description:
        "Set it as the number's incoming-message webhook (patients' STOP/START replies); status callbacks use it too",
    }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('MessageSender');

export const SenderListSchema = z.object({ items: z.array(SenderSchema) });

export const TemplateListSchema = z
  .object({
    items: z.array(
      z.object({
        kind: z.enum(MESSAGE_KINDS),
        language: z.enum(MESSAGE_LANGUAGES),
        text: z.string(),
        custom: z.boolean(),
        encoding: z.enum(['GSM-7', 'UCS-2']),
        segments: z.number().int().openapi({ description: 'With placeholders at typical maximum lengths' }),
      }),
    ),
  })
  .openapi('MessageTemplates');

export const MessageSchema = z
  .object({
    id: z.string(),
    appointmentId: z.string(),
    kind: z.enum(MESSAGE_KINDS),
    status: z.enum(MESSAGE_STATUSES),
    channel: z.enum(MESSAGE_CHANNELS).nullable(),
    provider: z.enum(MESSAGE_PROVIDERS).nullable(),
    to: z
      .string()
      .nullable()
      .openapi({ description: 'Masked: country code and last three digits', example: '+351 ••• ••• 678' }),
    phoneHash: z.string().nullable(),
    providerMessageId: z.string().nullable(),
    segments: z.number().int().nullable(),
    encoding: z.string().nullable(),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    createdAt: z.string(),
    scheduledFor: z
      .string()
      .nullable()
      .openapi({ description: 'While queued: when it goes (or is retried)' }),
    sentAt: z.string().nullable(),
    updatedAt: z.string(),
  })
  .openapi('Message');

export const MessageListQuery = z.object({
  appointmentId: z.string().max(100).optional(),
  limit: limitParam,
});

export const MessageListSchema = z.object({ items: z.array(MessageSchema) });
