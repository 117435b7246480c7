// A clinic that takes online bookings: public slug on, hours set, two services; and a visit there
// with the patient's own link.
import { nextPhone } from './factories.js';
import type { TestApp } from './types.js';
import { voiceClinic } from './voice.js';

export async function bookingClinic(
  app: TestApp,
  language: string | null = 'pt-PT',
  where: { country?: string; timezone?: string } = {},
) {
  // The voice fixture already has hours, professionals and services; no integration is needed here.
  const v = await voiceClinic(
    app,
    'vapi',
    { secret: 'unused-secret-0123456789-0123456789' },
    { language, ...where },
  );
  const slug = `clinica-${v.clinic.tenantId.slice(0, 8)}`;
  const patch = await app.request('PATCH', '/v1/tenants/me', {
    key: v.clinic.key,
    body: { publicSlug: slug, publicBookingEnabled: true },
  });
  if (patch.status !== 200) throw new Error(patch.text);
  return { ...v, slug };
}

/** A visit booked at a booking clinic on 3 March 2026 at 10:00 UTC, and the path of its patient link. */
export async function bookedWithLink(
  app: TestApp,
  language: string | null = 'pt-PT',
  where: { country?: string; timezone?: string } = {},
) {
  const b = await bookingClinic(app, language, where);
  const booked = await app.request('POST', '/v1/appointments', {
    key: b.clinic.key,
    body: {
      professionalId: b.rui.id,
      serviceTypeId: b.consulta.id,
      patientName: 'Maria Silva',
      patientPhone: nextPhone(),
      startsAt: '2026-03-03T10:00:00Z',
    },
  });
  if (booked.status !== 201) throw new Error(booked.text);
  const link = await app.request('POST', `/v1/appointments/${booked.body.id}/patient-link`, {
    key: b.clinic.key,
  });
  return { b, id: booked.body.id as string, path: new URL(link.body.url).pathname };
}
