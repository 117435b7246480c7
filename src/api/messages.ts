// /v1/messages and /v1/messaging: what the clinic sends patients (settings, senders, templates) and
// the log of what went, plus the providers' own door for delivery statuses and patients' replies.
// The REST door only translates; src/messaging decides.
import { createRoute, type z } from '@hono/zod-openapi';
import { type Context, Hono } from 'hono';
import { AppError } from '../domain/errors.js';
import { MESSAGE_KINDS, MESSAGE_LANGUAGES } from '../domain/message-vocabulary.js';
import { renderInstant } from '../domain/time.js';
import { throttleAuthFailures } from '../http/auth-throttle.js';
import type { AppEnv } from '../http/env.js';
import { limitBody, requireScope } from '../http/middleware.js';
import { publicBase } from '../http/public-base.js';
import { createRouter } from '../http/router.js';
import { readMessagingSettings, saveMessagingSettings } from '../messaging/clinic-settings.js';
import { type Message, tenantMessages, viewMessage } from '../messaging/messages.js';
import { configureSender, removeSender, senderWebhookPath, tenantSenders } from '../messaging/senders.js';
import { messagingSettingsSchema, templateFor } from '../messaging/settings.js';
import { DEFAULT_TEMPLATES, estimateSegments } from '../messaging/templates.js';
import { receiveProviderWebhook } from '../messaging/webhooks.js';
import { errorResponses, jsonBody, jsonContent, writeErrorResponses } from './schemas/common.js';
import {
  ChannelParam,
  MessageListQuery,
  MessageListSchema,
  type MessageSchema,
  SenderInputSchema,
  SenderListSchema,
  SenderSchema,
  TemplateListSchema,
} from './schemas/messages.js';

const TAG = 'Messages';
const read = () => [requireScope('messages:read')];
const write = () => [requireScope('messaging:write')];

const zoneOf = (c: Context<AppEnv>) => c.var.credential.tenant.config.timezone;

const renderMessage = (c: Context<AppEnv>, m: Message): z.infer<typeof MessageSchema> =>
  viewMessage(m, zoneOf(c));

const listMessages = createRoute({
  method: 'get',
  path: '/v1/messages',
  tags: [TAG],
  summary: 'Messages sent (or queued) to patients, newest first',
  description:
    'Confirmations, cancellation and reschedule notices, reminders, and triage and feedback links, with their delivery status as the ' +
    "provider reported it. The patient's number appears only masked and as its keyed hash.",
  middleware: read(),
  request: { query: MessageListQuery },
  responses: { 200: jsonContent(MessageListSchema, 'Newest first'), ...errorResponses(422) },
});

const getSettings = createRoute({
  method: 'get',
  path: '/v1/messaging/settings',
  tags: [TAG],
  summary: "The clinic's message settings",
  middleware: read(),
  responses: {
    200: jsonContent(messagingSettingsSchema, 'Settings (defaults until saved)'),
    ...errorResponses(),
  },
});

const putSettings = createRoute({
  method: 'put',
  path: '/v1/messaging/settings',
  tags: [TAG],
  summary: "Replace the clinic's message settings",
  description:
    'Omitted fields take their defaults. A custom template is refused (422) when it names an unknown ' +
    'placeholder or, with placeholders at typical lengths, takes more than maxSegments SMS segments.',
  middleware: write(),
  request: { body: jsonBody(messagingSettingsSchema) },
  responses: { 200: jsonContent(messagingSettingsSchema, 'Saved settings'), ...writeErrorResponses() },
});

const listTemplates = createRoute({
  method: 'get',
  path: '/v1/messaging/templates',
  tags: [TAG],
  summary: 'Every template in effect, with its segment count',
  middleware: read(),
  responses: { 200: jsonContent(TemplateListSchema, 'By kind and language'), ...errorResponses() },
});

const listSenders = createRoute({
  method: 'get',
  path: '/v1/messaging/senders',
  tags: [TAG],
  summary: "The clinic's senders (credentials never shown)",
  middleware: read(),
  responses: { 200: jsonContent(SenderListSchema, 'One per channel'), ...errorResponses() },
});

const putSender = createRoute({
  method: 'put',
  path: '/v1/messaging/senders/{channel}',
  tags: [TAG],
  summary: 'Set the provider, number and credentials for a channel',
  description:
    "sms: Twilio or Telnyx; whatsapp: Twilio. Credentials are stored sealed. Point the number's " +
    'incoming-message webhook at webhookUrl so STOP/PARAR and START replies are honoured.',
  middleware: write(),
  request: { params: ChannelParam, body: jsonBody(SenderInputSchema) },
  responses: { 200: jsonContent(SenderSchema, 'The sender'), ...writeErrorResponses() },
});

const deleteSender = createRoute({
  method: 'delete',
  path: '/v1/messaging/senders/{channel}',
  tags: [TAG],
  summary: "Remove a channel's sender (messages for it then fail)",
  middleware: write(),
  request: { params: ChannelParam },
  responses: { 204: { description: 'Removed' }, ...errorResponses(404, 422) },
});

type SenderRow = Awaited<ReturnType<typeof tenantSenders>>[number];
const renderSender = (c: Context<AppEnv>, s: SenderRow): z.infer<typeof SenderSchema> => ({
  id: s.id,
  channel: s.channel,
  provider: s.provider,
  from: s.fromNumber,
  webhookUrl: publicBase(c) + senderWebhookPath(s.id),
  createdAt: renderInstant(s.createdAt, zoneOf(c)),
  updatedAt: renderInstant(s.updatedAt, zoneOf(c)),
});

export const messageRoutes = createRouter()
  .openapi(listMessages, async (c) => {
    const { appointmentId, limit } = c.req.valid('query');
    const rows = await tenantMessages(c.var.deps, c.var.credential.tenant, { appointmentId, limit });
    return c.json({ items: rows.map((m) => renderMessage(c, m)) }, 200);
  })
  .openapi(getSettings, async (c) =>
    c.json(await readMessagingSettings(c.var.deps, c.var.credential.tenant.id), 200),
  )
  .openapi(putSettings, async (c) =>
    c.json(await saveMessagingSettings(c.var.deps, c.var.credential.tenant, c.req.valid('json')), 200),
  )
  .openapi(listTemplates, async (c) => {
    const settings = await readMessagingSettings(c.var.deps, c.var.credential.tenant.id);
    const items = MESSAGE_KINDS.flatMap((kind) =>
      MESSAGE_LANGUAGES.map((language) => {
        const text = templateFor(settings, kind, language);
        return {
          kind,
          language,
          text,
          custom: text !== DEFAULT_TEMPLATES[kind][language],
          ...(({ encoding, segments }) => ({ encoding, segments }))(estimateSegments(text)),
        };
      }),
    );
    return c.json({ items }, 200);
  })
  .openapi(listSenders, async (c) =>
    c.json(
      { items: (await tenantSenders(c.var.deps, c.var.credential.tenant)).map((s) => renderSender(c, s)) },
      200,
    ),
  )
  .openapi(putSender, async (c) => {
    const sender = await configureSender(
      c.var.deps,
      c.var.credential.tenant,
      c.req.valid('param').channel,
      c.req.valid('json'),
    );
    return c.json(renderSender(c, sender), 200);
  })
  .openapi(deleteSender, async (c) => {
    if (!(await removeSender(c.var.deps, c.var.credential.tenant, c.req.valid('param').channel))) {
      throw new AppError('not_found', 'No sender for this channel');
    }
    return c.body(null, 204);
  });

// The providers' door: each sender has its own URL, called by Twilio or Telnyx with its own signature
// (never an API key). The body is read raw, verified by the sender's provider client, then handled.
export const MESSAGE_WEBHOOK_PREFIX = '/v1/messaging/webhooks';
// An SMS webhook is a few kilobytes.
const MAX_BYTES = 64 * 1024;

export const messageWebhooks = new Hono<AppEnv>()
  .use(`${MESSAGE_WEBHOOK_PREFIX}/*`, limitBody(MAX_BYTES))
  .post(`${MESSAGE_WEBHOOK_PREFIX}/:senderId`, async (c) => {
    const senderId = c.req.param('senderId');
    const raw = await c.req.text();
    // The URL the provider signed: where we told it to call.
    const url = publicBase(c) + new URL(c.req.url).pathname;
    return throttleAuthFailures(c, `sender:${senderId}`, async () => {
      const outcome = await receiveProviderWebhook(c.var.deps, senderId, {
        url,
        headers: c.req.raw.headers,
        raw,
      });
      if (outcome.kind === 'unknown_sender') throw new AppError('not_found', 'No such webhook');
      if (outcome.kind === 'bad_signature') {
        throw new AppError('invalid_signature', 'Webhook rejected: bad or missing signature');
      }
      // Twilio wants TwiML back (an empty Response sends no reply); Telnyx any 2xx.
      if (outcome.provider === 'twilio') {
        return c.body('<?xml version="1.0" encoding="UTF-8"?><Response/>', 200, {
          'Content-Type': 'text/xml',
        });
      }
      return c.json({}, 200);
    });
  });
