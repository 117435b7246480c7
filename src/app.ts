// createApp(deps): the whole service, free of any runtime. The Node and Workers entries build the
// dependencies; tests build one app per test file.
import { mountAdminDoor } from './api/admin.js';
import { apiKeyRoutes } from './api/api-keys.js';
import { appointmentLifecycleRoutes, appointmentQueryRoutes } from './api/appointment-lifecycle.js';
import { appointmentRoutes } from './api/appointments.js';
import { availabilityRoutes } from './api/availability.js';
import { callbackRequestRoutes } from './api/callback-requests.js';
import { callRoutes, recordingLinks } from './api/calls.js';
import { professionalRoutes, serviceRoutes } from './api/catalog.js';
import { docsPage } from './api/docs.js';
import { healthRoutes } from './api/health.js';
import { messageRoutes, messageWebhooks } from './api/messages.js';

import { patientLinkRoutes } from './api/patient-links.js';
import { patientRoutes } from './api/patients.js';
import { scheduleRoutes } from './api/schedule.js';
import { ADMIN_TAG } from './api/schemas/admin.js';
import { tenantRoutes } from './api/tenants.js';
import { triageRoutes } from './api/triage.js';
import { voiceRoutes } from './api/voice.js';
import { webhookRoutes } from './api/webhooks.js';
import type { AppDeps } from './deps.js';
import { handleError, handleNotFound } from './http/error-handler.js';
import { apiKeyAuth, jsonBodyGuard, requestContext } from './http/middleware.js';
import { rateLimitPerIp } from './http/rate-limit-middleware.js';
import { restCors, restDoor } from './http/rest-door.js';
import { createRouter } from './http/router.js';
import { mcpDoor } from './mcp/door.js';
import { deliverAfterWrites } from './timed-jobs.js';
import { voiceWebhooks } from './voice/webhooks.js';
import { tenantHeader, vokiCors, vokiDoor } from './voki/door.js';
import { vokiErrors } from './voki/errors.js';
import { VOKI_TAG, vokiRoutes } from './voki/routes.js';
import { appointmentApi } from './web/appointment-api.js';
import { appointmentPage } from './web/appointment-page.js';
import { bookingApi } from './web/booking-api.js';
import { bookingPage } from './web/booking-page.js';
import { patientForms } from './web/patient-forms.js';

export function createApp(deps: AppDeps) {
  const app = createRouter();
  app.use('*', requestContext(deps));
  // Public routes are limited per client IP; the booking page's API takes JSON like the REST door.
  const patientPaths = ['/a/*', '/triagem/*', '/feedback/*'];
  for (const path of ['/health', '/openapi.json', '/docs', '/booking/*', '/recordings/*', ...patientPaths])
    app.use(path, rateLimitPerIp);
  for (const path of ['/booking/*', ...patientPaths]) app.use(path, jsonBodyGuard);
  // A write may have queued webhook events: deliver them now rather than at the next timer tick.
  app.use('*', deliverAfterWrites(deps));
  app.onError(handleError);
  app.notFound(handleNotFound);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'API key: `Authorization: Bearer miv_live_...` (or miv_test_...)',
  });

  app
    .route('/', healthRoutes)
    // Every /v1 route behind the key, the per-key limits and CORS (see http/rest-door.ts).
    .route(
      '/',
      restDoor(
        tenantRoutes,
        professionalRoutes,
        scheduleRoutes,
        serviceRoutes,
        appointmentQueryRoutes,
        appointmentRoutes,
        appointmentLifecycleRoutes,
        availabilityRoutes,
        patientRoutes,
        patientLinkRoutes,
        triageRoutes,
        voiceRoutes,
        callRoutes,
        callbackRequestRoutes,
        webhookRoutes,
        messageRoutes,
        apiKeyRoutes,
      ),
    )
    // The Voki-compatible door: the same keys and core, Voki's shapes and errors (src/voki).
    .route('/', vokiDoor(vokiRoutes))
    // Voice platforms authenticate with their own signatures, under /v1/voice/webhooks.
    .route('/', voiceWebhooks)
    // The same tools over MCP, one URL per integration, under /v1/voice/mcp (the integration's secret).
    .route('/', mcpDoor)
    // Message providers (status callbacks, patients' replies) with their own signatures too.
    .route('/', messageWebhooks)
    .route('/', bookingApi)
    // A call's recording behind its signed, expiring link (GET /v1/calls/{id}/recording makes one).
    .route('/', recordingLinks)
    .route('/', bookingPage)
    // A patient's own appointment behind its signed, expiring link (/a/{token}; src/web/appointment-*).
    .route('/', appointmentApi)
    .route('/', appointmentPage)
    // Its triage and feedback forms, behind links of their own scope (src/web/patient-forms.ts).
    .route('/', patientForms)
    // Any other /v1 path: who asks comes first, so a caller without a valid key learns nothing of
    // which paths exist (401), and a keyed caller gets the envelope's 404.
    .all('/v1/*', restCors, apiKeyAuth, handleNotFound)
    .all('/api/v1/*', vokiErrors, vokiCors, apiKeyAuth, tenantHeader, handleNotFound);
  // The operator's API only when ADMIN_TOKEN is set (src/api/admin.ts); otherwise its paths are 404.
  if (deps.adminToken) mountAdminDoor(app);

  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'agendai API',
      version: '1.0.0',
      description:
        'Mivicall-compatible appointments API for clinics, their PMS and their voice agents. ' +
        'Errors: `{error, message, requestId, errors[]}`. Times are ISO 8601 with the clinic offset.',
    },
    security: [{ bearerAuth: [] }],
    tags: [
      { name: 'Tenant', description: 'The clinic of the API key' },
      { name: 'Appointments', description: 'Read, create and change appointments' },
      { name: 'Professionals', description: 'Doctors and clinical staff' },
      { name: 'Services', description: 'Appointment types, durations and prices' },
      { name: 'Patients', description: 'Patients derived from appointments, by name or phone hash' },
      { name: 'Voice', description: 'Voice platform integrations and tool definitions' },
      { name: 'Calls', description: 'Calls the voice platforms reported, with transcripts and tool calls' },
      { name: 'Webhooks', description: 'Signed POSTs to your systems when appointments change' },
      {
        name: VOKI_TAG,
        description:
          'Voki-compatible appointments API under /api/v1 (snake_case, `{data}`, Ecto-style errors), the same ' +
          'bookings as /v1/appointments. Same API keys and scopes; `X-Tenant`, when sent, must name the clinic.',
      },
      { name: 'Messages', description: 'SMS and WhatsApp to patients: settings, senders, templates, log' },
      { name: 'API keys', description: "Test keys (miv_test_) for the clinic's sandbox" },
      { name: 'Health', description: 'Public' },
      ...(deps.adminToken
        ? [
            {
              name: ADMIN_TAG,
              description: "The operator's API: provision clinics and their keys (ADMIN_TOKEN)",
            },
          ]
        : []),
    ],
  });
  app.route('/', docsPage);
  return app;
}

export type App = ReturnType<typeof createApp>;
