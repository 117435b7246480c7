// Triage and feedback through the REST door: a service's questions, sending an appointment's triage
// link (Mivicall's POST /v1/appointments/:id/triage/send), and reading what the patient answered or
// how they rated the visit. The core decides (src/booking/triage.ts, feedback.ts); this only translates.
import { createRoute, type z } from '@hono/zod-openapi';
import { commandContext } from '../booking/context.js';
import { appointmentFeedback } from '../booking/feedback.js';
import {
  appointmentTriage,
  sendTriageLink,
  serviceTriage,
  setServiceTriage,
  type TriageSendOutcome,
} from '../booking/triage.js';
import { sendRecorded } from '../http/answer.js';
import { requireScope } from '../http/middleware.js';
import { createRouter } from '../http/router.js';
import { viewMessage } from '../messaging/messages.js';
import {
  errorResponses,
  IdempotencyHeader,
  IdParam,
  jsonBody,
  jsonContent,
  writeErrorResponses,
} from './schemas/common.js';
import { MessageSchema } from './schemas/messages.js';
import { FeedbackSchema, ServiceTriageSchema, TriageSchema } from './schemas/triage.js';

const getServiceTriage = createRoute({
  method: 'get',
  path: '/v1/services/{id}/triage',
  tags: ['Services'],
  summary: "The service's triage questions",
  middleware: [requireScope('services:read')],
  request: { params: IdParam },
  responses: {
    200: jsonContent(ServiceTriageSchema, 'No questions until you set some'),
    ...errorResponses(404),
  },
});

const putServiceTriage = createRoute({
  method: 'put',
  path: '/v1/services/{id}/triage',
  tags: ['Services'],
  summary: "Set the service's triage questions",
  description:
    'Questions the patient answers on the triage page (`/triagem/{token}`) before a visit of this service: ' +
    'free text, yes/no, or one choice of 2–10 options; at most 20. Answers already given keep the ' +
    'questions as they were asked. With `sendOnBooking` every booking of the service queues the triage link ' +
    'by SMS or WhatsApp (when the clinic sends messages); otherwise send it with ' +
    '`POST /v1/appointments/{id}/triage/send`.',
  middleware: [requireScope('services:write')],
  request: { params: IdParam, body: jsonBody(ServiceTriageSchema) },
  responses: { 200: jsonContent(ServiceTriageSchema, 'Saved'), ...writeErrorResponses(404) },
});

const sendRoute = createRoute({
  method: 'post',
  path: '/v1/appointments/{id}/triage/send',
  tags: ['Appointments'],
  summary: 'Send the triage link by SMS',
  description:
    "Queues a message with the patient's triage link (`/triagem/{token}`, no login, valid until the visit " +
    "starts) on the clinic's channel, in the clinic's language; the answer is the queued message as " +
    '`GET /v1/messages` shows it. 409 `triage_not_configured` when the service has no questions, ' +
    '`messages_not_enabled` when the clinic sends no messages, `appointment_not_upcoming` for a past or ' +
    'cancelled visit. Send an Idempotency-Key: a retry replays the first answer and queues nothing more.',
  middleware: [requireScope('appointments:write')],
  request: { params: IdParam, headers: IdempotencyHeader },
  responses: {
    202: jsonContent(MessageSchema, 'Queued (or replayed, with Idempotent-Replayed: true)'),
    ...writeErrorResponses(404, 409),
  },
});

const getTriage = createRoute({
  method: 'get',
  path: '/v1/appointments/{id}/triage',
  tags: ['Appointments'],
  summary: "The patient's triage answers",
  description:
    '`pending` until the patient answers on the triage page; then `completed` with each answer next to the ' +
    'question as it was asked. The same arrives at webhooks as `appointment.triage_completed`.',
  middleware: [requireScope('appointments:read')],
  request: { params: IdParam },
  responses: { 200: jsonContent(TriageSchema, 'Pending or completed'), ...errorResponses(404) },
});

const getFeedback = createRoute({
  method: 'get',
  path: '/v1/appointments/{id}/feedback',
  tags: ['Appointments'],
  summary: "The patient's rating of the visit",
  description:
    'With the messaging setting `feedbackAfterAttended`, marking a visit attended sends the patient a link ' +
    '(`/feedback/{token}`) to rate it 1–5 with an optional comment. `pending` until they do; the same ' +
    'arrives at webhooks as `appointment.feedback_received`.',
  middleware: [requireScope('appointments:read')],
  request: { params: IdParam },
  responses: { 200: jsonContent(FeedbackSchema, 'Pending or received'), ...errorResponses(404) },
});

export const triageRoutes = createRouter()
  .openapi(getServiceTriage, async (c) =>
    c.json(await serviceTriage(c.var.deps, c.var.credential.tenant, c.req.valid('param').id), 200),
  )
  .openapi(putServiceTriage, async (c) => {
    const { deps, credential } = c.var;
    const saved = await setServiceTriage(
      deps,
      credential.tenant,
      c.req.valid('param').id,
      c.req.valid('json'),
    );
    return c.json(saved, 200);
  })
  .openapi(sendRoute, async (c) => {
    const { credential, deps } = c.var;
    const zone = credential.tenant.config.timezone;
    const ctx = await commandContext<TriageSendOutcome>({
      deps,
      tenant: credential.tenant,
      actor: `key:${credential.keyId}`,
      source: 'manual',
      answer: ({ message }) => ({
        status: 202,
        body: JSON.stringify(viewMessage(message, zone)),
        location: null,
      }),
      key: {
        value: c.req.header('idempotency-key'),
        scope: `key:${credential.keyId}`,
        operation: `${c.req.method} ${c.req.path}`,
        input: null,
      },
    });
    return sendRecorded<z.infer<typeof MessageSchema>, 202>(
      c,
      await sendTriageLink(ctx, c.req.valid('param').id),
    );
  })
  .openapi(getTriage, async (c) =>
    c.json(await appointmentTriage(c.var.deps, c.var.credential.tenant, c.req.valid('param').id), 200),
  )
  .openapi(getFeedback, async (c) =>
    c.json(await appointmentFeedback(c.var.deps, c.var.credential.tenant, c.req.valid('param').id), 200),
  );
