// A clinic that takes online bookings: public slug on, hours set, two services.
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
