// POST /v1/appointments/{id}/patient-link: the patient's own link to an appointment, for a PMS that
// sends its own messages. The link lets whoever holds it confirm, cancel or move the appointment, so
// it takes the appointments:write scope. Made on request, never stored (src/booking/patient-link.ts).
import { createRoute, z } from '@hono/zod-openapi';
import { appointmentPatientLink } from '../booking/patient-link.js';
import { renderInstant } from '../domain/time.js';
import { requireScope } from '../http/middleware.js';
import { publicBase } from '../http/public-base.js';
import { createRouter } from '../http/router.js';
import { errorResponses, IdParam, jsonContent } from './schemas/common.js';

const PatientLinkSchema = z
  .object({
    url: z.string().openapi({
      description:
        "The patient's appointment page (no login): confirm, cancel or pick another time. Send it only " +
        'to the patient: whoever holds it can change the appointment.',
      example: 'https://agendai.example.com/a/3q2-7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    }),
    expiresAt: z.string().openapi({ description: "Three days after the appointment's start" }),
  })
  .openapi('PatientLink');

const patientLinkRoute = createRoute({
  method: 'post',
  path: '/v1/appointments/{id}/patient-link',
  tags: ['Appointments'],
  summary: "The patient's own link to the appointment",
  description:
    'A signed, expiring, login-free URL where the patient sees the appointment and confirms it ' +
    '(confirmation channel `patient_link`), cancels it or moves it to another free time with the same ' +
    "professional, under the booking page's rules (source `self_service`). The same link is in the " +
    "confirmation and reminder messages' `{link}`. No body; nothing is stored, so asking again is harmless.",
  middleware: [requireScope('appointments:write')],
  request: { params: IdParam },
  responses: {
    200: jsonContent(PatientLinkSchema, 'The link and when it stops working'),
    ...errorResponses(400, 404, 413, 415, 422),
  },
});

export const patientLinkRoutes = createRouter().openapi(patientLinkRoute, async (c) => {
  const { tenant } = c.var.credential;
  const origin = publicBase(c);
  const link = await appointmentPatientLink(c.var.deps, tenant, c.req.valid('param').id, origin);
  return c.json({ url: link.url, expiresAt: renderInstant(link.expiresAt, tenant.config.timezone) }, 200);
});
