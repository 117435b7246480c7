// Issue 11, languages: a clinic's agent speaks pt-PT, pt-BR (Brazilian phrasing, +55 numbers), en or
// es, end to end through a platform (Vapi); a new clinic speaks its country's language by default.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import type { TestApp } from '../support/types.js';
import { referenceOf, VAPI_SECRET, vapiCaller } from '../support/vapi.js';
import { appointmentsOf, voiceClinic } from '../support/voice.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const CASES = [
  {
    language: 'pt-PT',
    country: 'PT',
    timezone: 'Europe/Lisbon',
    caller: '+351912345678',
    booked: 'Marcação confirmada: Consulta de rotina, terça-feira, 3 de março, às 10:00 com Dr. Rui Lopes.',
    found: 'Tem Consulta de rotina terça-feira, 3 de março, às 10:00 com Dr. Rui Lopes [ref %].',
  },
  {
    language: 'pt-BR',
    country: 'BR',
    timezone: 'America/Sao_Paulo',
    caller: '+5511987654321',
    booked:
      'Agendamento confirmado: Consulta de rotina, terça-feira, 3 de março, às 10:00 com Dr. Rui Lopes.',
    found: 'Você tem Consulta de rotina terça-feira, 3 de março, às 10:00 com Dr. Rui Lopes [ref %].',
  },
  {
    language: 'en',
    country: 'GB',
    timezone: 'Europe/London',
    caller: '+447911123456',
    booked: 'Booked: Consulta de rotina on Tuesday 3 March at 10:00 with Dr. Rui Lopes.',
    found: 'You have Consulta de rotina on Tuesday 3 March at 10:00 with Dr. Rui Lopes [ref %].',
  },
  {
    language: 'es',
    country: 'ES',
    timezone: 'Europe/Madrid',
    caller: '+34612345678',
    booked: 'Cita confirmada: Consulta de rotina, martes, 3 de marzo, a las 10:00 con Dr. Rui Lopes.',
    found: 'Tiene Consulta de rotina el martes, 3 de marzo, a las 10:00 con Dr. Rui Lopes [ref %].',
  },
];

describe('the voice agent in each language', () => {
  it.each(CASES)('$language: books and finds, end to end', async (c) => {
    const v = await voiceClinic(
      app,
      'vapi',
      { secret: VAPI_SECRET },
      { language: c.language, country: c.country, timezone: c.timezone },
    );
    const call = vapiCaller(app, v.path, c.caller);
    expect(
      await call('book_appointment', {
        service: 'Consulta de rotina',
        startsAt: '2026-03-03T10:00',
        patientName: 'Maria Silva',
      }),
    ).toBe(c.booked);
    const [booked] = await appointmentsOf(app, v.clinic);
    expect(await call('find_appointments')).toBe(c.found.replace('%', referenceOf(booked!.id)));
  });

  it('pt-BR: a Brazilian number said the national way, with its DDD, is the caller’s +55 number', async () => {
    const v = await voiceClinic(
      app,
      'vapi',
      { secret: VAPI_SECRET },
      { language: 'pt-BR', country: 'BR', timezone: 'America/Sao_Paulo' },
    );
    // Caller ID withheld: the agent asks, in Brazilian Portuguese, and books with the number given.
    const withheld = vapiCaller(app, v.path, null, 'call-web');
    const args = { service: 'Consulta de rotina', startsAt: '2026-03-03T11:00', patientName: 'João Souza' };
    expect(await withheld('book_appointment', args)).toBe(
      'Preciso de um número de celular para o agendamento. Qual é o seu número?',
    );
    expect(await withheld('book_appointment', { ...args, patientPhone: '(11) 98765-4321' })).toMatch(
      /^Agendamento confirmado: Consulta de rotina, terça-feira, 3 de março, às 11:00/,
    );
    expect(await withheld('find_appointments')).toMatch(/^Por segurança .* recepção\.$/);
    // The same patient calling from that number (+55 11 98765-4321) finds it.
    const found = await vapiCaller(app, v.path, '+5511987654321')('find_appointments');
    expect(found).toMatch(/^Você tem Consulta de rotina terça-feira, 3 de março, às 11:00 com /);
  });
});

describe("a new clinic's language", () => {
  it.each([
    ['BR', 'America/Sao_Paulo', 'pt-BR', /^Agendamento confirmado: /],
    ['ES', 'Europe/Madrid', 'es', /^Cita confirmada: /],
    ['PT', 'Europe/Lisbon', 'pt-PT', /^Marcação confirmada: /],
    ['IE', 'Europe/Dublin', 'en', /^Booked: /],
  ])('comes from its country (%s → %s) when none is set', async (country, timezone, tag, booked) => {
    const v = await voiceClinic(app, 'vapi', { secret: VAPI_SECRET }, { language: null, country, timezone });
    // voiceClinic changed other settings since: a settings change leaves the rest as it was.
    await app.request('PATCH', '/v1/tenants/me', {
      key: v.clinic.key,
      body: { config: { greeting: 'Olá' } },
    });
    const me = await app.request('GET', '/v1/tenants/me', { key: v.clinic.key });
    expect(me.body.config).toMatchObject({ language: tag, greeting: 'Olá', slotStepMinutes: 30 });
    const call = vapiCaller(app, v.path, null, `call-${country}`);
    expect(
      await call('book_appointment', {
        service: 'Consulta de rotina',
        startsAt: '2026-03-03T10:00',
        patientName: 'Maria Silva',
        patientPhone: '+351912345678',
      }),
    ).toMatch(booked);
  });
});
