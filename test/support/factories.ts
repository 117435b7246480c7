// Small factories over the public API: every test makes the data it needs, nothing shared.
import type { Clinic, TestApp } from './types.js';

export async function createProfessional(app: TestApp, clinic: Clinic, body: Record<string, unknown> = {}) {
  const reply = await app.request('POST', '/v1/professionals', {
    key: clinic.key,
    body: { name: 'Dra. Ana Costa', ...body },
  });
  if (reply.status !== 201) throw new Error(`createProfessional: ${reply.status} ${reply.text}`);
  return reply.body as { id: string; name: string; active: boolean };
}

export async function createService(app: TestApp, clinic: Clinic, body: Record<string, unknown> = {}) {
  const reply = await app.request('POST', '/v1/services', {
    key: clinic.key,
    body: { name: 'Consulta', durationMinutes: 30, ...body },
  });
  if (reply.status !== 201) throw new Error(`createService: ${reply.status} ${reply.text}`);
  return reply.body as { id: string; durationMinutes: number };
}

/** A clinic with one professional and one 30-minute service. */
export async function setupClinic(app: TestApp, options: Parameters<TestApp['createClinic']>[0] = {}) {
  const clinic = await app.createClinic(options);
  const professional = await createProfessional(app, clinic);
  const service = await createService(app, clinic);
  return { clinic, professional, service };
}

let phoneCounter = 0;
/** A valid, distinct Portuguese mobile number. */
export const nextPhone = () => `+3519${String(10000000 + ++phoneCounter * 7919).slice(-8)}`;

export function appointmentBody(
  ids: { professional: { id: string }; service: { id: string } },
  startsAt: string,
  extra: Record<string, unknown> = {},
) {
  return {
    professionalId: ids.professional.id,
    serviceTypeId: ids.service.id,
    patientName: 'Maria Silva',
    patientPhone: '+351912345678',
    startsAt,
    ...extra,
  };
}
