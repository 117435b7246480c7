// Issue 11 finding 6: every spoken answer stays short (SPOKEN_BUDGET characters, in every language),
// lists summarise the nearest and offer the rest, and each appointment comes with a reference that
// cancel and reschedule take back, only from the caller it belongs to.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import { SPOKEN_BUDGET } from '../../src/voice/speech.js';
import { TOOLS } from '../../src/voice/tools.js';
import { createService } from '../support/factories.js';
import type { TestApp } from '../support/types.js';
import { referenceOf, referencesIn, VAPI_SECRET, vapiCaller } from '../support/vapi.js';
import { appointmentsOf, voiceClinic } from '../support/voice.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const CALLER = '+351912345678';
const OTHER = '+351969999999';

/** A clinic whose caller holds six appointments, with a long catalogue. */
async function busyClinic(language: string) {
  const v = await voiceClinic(app, 'vapi', { secret: VAPI_SECRET }, { language });
  for (const name of [
    'Branqueamento dentário',
    'Ortodontia: consulta de avaliação',
    'Implantologia: primeira consulta',
    'Endodontia (desvitalização)',
    'Odontopediatria',
    'Periodontologia',
  ])
    await createService(app, v.clinic, { name, durationMinutes: 45, priceCents: 12_550 });
  for (const day of ['03', '04', '05', '06', '09', '10']) {
    const made = await app.request('POST', '/v1/appointments', {
      key: v.clinic.key,
      body: {
        professionalId: v.ana.id,
        serviceTypeId: v.consulta.id,
        patientName: 'Maria Silva',
        patientPhone: CALLER,
        startsAt: `2026-03-${day}T10:00:00Z`,
      },
    });
    if (made.status !== 201) throw new Error(made.text);
  }
  return v;
}

describe('answer length budget', () => {
  it.each(['pt-PT', 'pt-BR', 'en', 'es'])(
    'every tool answers within the budget in %s, six appointments summarised',
    async (language) => {
      const v = await busyClinic(language);
      const call = vapiCaller(app, v.path, CALLER);
      const answers: Record<string, string[]> = {};
      const said = async (tool: string, args: Record<string, unknown> = {}) => {
        const text = await call(tool, args);
        answers[tool] = [...(answers[tool] ?? []), text];
        return text;
      };
      await said('list_services');
      await said('check_availability', { service: 'Consulta de rotina', date: '2026-03-03' });
      await said('check_availability', { service: 'massagem tailandesa' });
      await said('check_availability', { service: 'Consulta de rotina', date: '2026-03-07' }); // a Saturday
      // Taken: the nearest alternatives are offered.
      await said('book_appointment', {
        service: 'Consulta de rotina',
        professional: 'Dra. Ana Costa',
        startsAt: '2026-03-04T10:00',
        patientName: 'João Pedro Albuquerque',
      });
      await said('book_appointment', {
        service: 'Consulta de rotina',
        startsAt: '2026-03-03T10:00',
        patientName: 'João Pedro Albuquerque',
      });
      await said('book_appointment', {
        service: 'Consulta de rotina',
        startsAt: '2026-03-11T10:00',
        patientName: 'João Pedro Albuquerque',
      });
      const first = await said('find_appointments');
      await said('find_appointments', { offset: 2 });
      await said('find_appointments', { offset: 4 });
      await said('find_appointments', { offset: 6 });
      await said('find_appointments', { offset: 8 });
      await said('cancel_appointment', {}); // which one? the caller holds eight
      const [nearest, next] = referencesIn(first);
      await said('reschedule_appointment', { reference: next, newStartsAt: '2026-03-12T15:00' });
      await said('cancel_appointment', { reference: nearest, reason: 'viagem' });
      // The front desk: the clinic's details, a message, a person, symptoms.
      await said('clinic_info');
      for (const topic of ['address', 'hours', 'services']) await said('clinic_info', { topic });
      await said('take_message', { callerName: 'João Pedro Albuquerque', reason: 'Pedir a fatura de março' });
      await said('transfer_to_human', { reason: 'falar com a receção' });
      await said('report_symptoms', { symptoms: 'dor no peito e falta de ar' });
      await said('report_symptoms', { symptoms: 'uma dor ligeira num dente' });

      // Every tool of the catalogue was measured, and no answer passed the budget.
      expect(Object.keys(answers).sort()).toEqual(Object.keys(TOOLS).sort());
      for (const [tool, texts] of Object.entries(answers))
        for (const text of texts) {
          expect(text.length, `${tool}: ${text}`).toBeLessThanOrEqual(SPOKEN_BUDGET);
          expect(text).not.toContain('\n');
        }
      // Eight upcoming (six, and two booked in the call): the nearest two with references, six more.
      expect(referencesIn(first)).toHaveLength(2);
      expect(first).toMatch(/\b8\b/);
      expect(first).toMatch(/\b6\b/);
      expect(answers.find_appointments![4]).not.toMatch(/\[ref/);
    },
  );

  it('pages through the appointments: the nearest first, then the next, then the end', async () => {
    const v = await busyClinic('pt-PT');
    const call = vapiCaller(app, v.path, CALLER);
    const mine = (await appointmentsOf(app, v.clinic)).sort((a, b) => a.startsAt.localeCompare(b.startsAt));
    const refs = mine.map((a) => referenceOf(a.id));
    const first = await call('find_appointments');
    expect(first).toBe(
      `Tem 6 marcações; as próximas: Consulta de rotina terça-feira, 3 de março, às 10:00 [ref ${refs[0]}]; ` +
        `Consulta de rotina quarta-feira, 4 de março, às 10:00 [ref ${refs[1]}]. Há mais 4. Quer ouvir?`,
    );
    expect(referencesIn(await call('find_appointments', { offset: 2 }))).toEqual(refs.slice(2, 4));
    const last = await call('find_appointments', { offset: 4 });
    expect(referencesIn(last)).toEqual(refs.slice(4, 6));
    expect(last).not.toContain('Há mais');
    expect(await call('find_appointments', { offset: 6 })).toBe('Não há mais marcações.');
  });
});

describe('appointment references', () => {
  it('find → cancel and reschedule by reference; a wrong reference or another caller’s is refused', async () => {
    const v = await voiceClinic(app, 'vapi', { secret: VAPI_SECRET });
    const me = vapiCaller(app, v.path, CALLER);
    const other = vapiCaller(app, v.path, OTHER);
    for (const startsAt of ['2026-03-03T10:00', '2026-03-04T10:00', '2026-03-05T10:00'])
      await me('book_appointment', { service: 'consulta', startsAt, patientName: 'Maria Silva' });
    await other('book_appointment', {
      service: 'consulta',
      startsAt: '2026-03-06T10:00',
      patientName: 'Rui Sá',
    });
    const byStart = async () =>
      (await appointmentsOf(app, v.clinic)).sort((a, b) => a.startsAt.localeCompare(b.startsAt));
    const [a1, a2, a3, theirs] = await byStart();

    const found = await me('find_appointments');
    expect(referencesIn(found)).toEqual([referenceOf(a1!.id), referenceOf(a2!.id)]);
    const theirRef = referencesIn(await other('find_appointments'))[0]!;
    expect(theirRef).toBe(referenceOf(theirs!.id));

    // Someone else's reference, and a made-up one: refused, nothing changes.
    expect(await me('cancel_appointment', { reference: theirRef })).toBe(
      'Não encontrei nenhuma marcação com essa referência para este número.',
    );
    expect(await me('reschedule_appointment', { reference: theirRef, newStartsAt: '2026-03-10T11:00' })).toBe(
      'Não encontrei nenhuma marcação com essa referência para este número.',
    );
    expect(await me('cancel_appointment', { reference: 'FFFFFFFF' })).toMatch(/^Não encontrei nenhuma/);
    expect((await byStart()).map((a) => a.status)).toEqual([
      'confirmed',
      'confirmed',
      'confirmed',
      'confirmed',
    ]);

    // The second one, by its reference (as a model may pass it back: lower case, spaced, prefixed).
    const second = referenceOf(a2!.id);
    const spoken = `ref. ${second.slice(0, 4).toLowerCase()} ${second.slice(4)}`;
    expect(await me('cancel_appointment', { reference: spoken })).toBe(
      'A marcação de Consulta de rotina quarta-feira, 4 de março, às 10:00 foi cancelada.',
    );
    expect(
      await me('reschedule_appointment', {
        reference: referenceOf(a3!.id),
        newStartsAt: '2026-03-10T11:00',
      }),
    ).toMatch(/^Remarcado: Consulta de rotina, terça-feira, 10 de março, às 11:00/);
    const after = await byStart();
    expect(after.find((a) => a.id === a1!.id)!.status).toBe('confirmed');
    expect(after.find((a) => a.id === a2!.id)!.status).toBe('cancelled');
    expect(after.find((a) => a.id === a3!.id)!.startsAt).toBe('2026-03-10T11:00:00+00:00');
    expect(after.find((a) => a.id === theirs!.id)!.status).toBe('confirmed');
    // The booking page shows the same reference the voice agent reads.
    expect(referenceOf(a1!.id)).toMatch(/^[0-9A-F]{8}$/);
  });
});
