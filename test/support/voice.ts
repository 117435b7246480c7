// Helpers for voice-door tests: a clinic with hours, services and a connected integration.
import { createProfessional, createService } from './factories.js';
import type { Clinic, TestApp } from './types.js';

export const WEEKDAY_HOURS = Object.fromEntries(
  ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'].map((d) => [
    d,
    [
      { start: '09:00', end: '13:00' },
      { start: '14:00', end: '18:00' },
    ],
  ]),
);

export async function voiceClinic(
  app: TestApp,
  platform: string,
  credentials: Record<string, unknown>,
  // language null: leave the default of the clinic's country.
  options: { language?: string | null; country?: string; timezone?: string } = {},
) {
  const clinic = await app.createClinic({
    name: 'Clínica Sorriso',
    country: options.country,
    timezone: options.timezone,
  });
  const language = options.language === null ? {} : { language: options.language ?? 'pt-PT' };
  await app.request('PATCH', '/v1/tenants/me', {
    key: clinic.key,
    body: { config: { slotStepMinutes: 30, minimumNoticeMinutes: 60, ...language } },
  });
  const ana = await createProfessional(app, clinic, { name: 'Dra. Ana Costa' });
  const rui = await createProfessional(app, clinic, { name: 'Dr. Rui Lopes' });
  for (const p of [ana, rui]) {
    await app.request('PUT', `/v1/professionals/${p.id}/schedule`, {
      key: clinic.key,
      body: { weekly: WEEKDAY_HOURS },
    });
  }
  const consulta = await createService(app, clinic, {
    name: 'Consulta de rotina',
    durationMinutes: 30,
    priceCents: 4500,
  });
  const higiene = await createService(app, clinic, {
    name: 'Higiene oral',
    durationMinutes: 60,
    professionalIds: [rui.id],
  });
  const integration = await app.request('POST', '/v1/voice/integrations', {
    key: clinic.key,
    body: { platform, name: `${platform} line`, credentials, phoneNumbers: ['+351210000000'] },
  });
  if (integration.status !== 201) throw new Error(`integration: ${integration.status} ${integration.text}`);
  const path = new URL(integration.body.webhookUrl).pathname;
  return { clinic, ana, rui, consulta, higiene, integration: integration.body, path };
}

export async function appointmentsOf(app: TestApp, clinic: Clinic) {
  return (await app.request('GET', '/v1/appointments', { key: clinic.key, query: { limit: 200 } })).body
    .items as {
    id: string;
    source: string;
    callId: string | null;
    status: string;
    startsAt: string;
    professionalId: string;
    patientName: string;
  }[];
}
