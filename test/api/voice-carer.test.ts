// Issue 11, booking for someone else: a carer books for a parent with the parent's number; the
// appointment keeps who booked it (a keyed hash of the carer's number), so the carer can find, move
// and cancel it from the number they booked from, and so can the parent's own number; nobody else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '#harness';
import type { TestApp } from '../support/types.js';
import { referenceOf, referencesIn, VAPI_SECRET, vapiCaller } from '../support/vapi.js';
import { appointmentsOf, voiceClinic } from '../support/voice.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const CARER = '+351912000001';
const PARENT = '+351913000002';
const STRANGER = '+351914000003';
const NOTHING = 'Não encontrei marcações futuras para este número.';

describe('a carer books for a parent', () => {
  it('the carer and the parent can find, move and cancel it; a third number cannot', async () => {
    const v = await voiceClinic(app, 'vapi', { secret: VAPI_SECRET });
    const carer = vapiCaller(app, v.path, CARER, 'call-carer');
    const parent = vapiCaller(app, v.path, PARENT, 'call-parent');
    const stranger = vapiCaller(app, v.path, STRANGER, 'call-stranger');

    expect(
      await carer('book_appointment', {
        service: 'Consulta de rotina',
        startsAt: '2026-03-03T10:00',
        patientName: 'Rosa Santos',
        patientPhone: '913 000 002', // the parent's, said the national way
      }),
    ).toBe('Marcação confirmada: Consulta de rotina, terça-feira, 3 de março, às 10:00 com Dr. Rui Lopes.');
    // The carer's own appointment, booked in the same call, stays theirs alone.
    await carer('book_appointment', {
      service: 'Consulta de rotina',
      startsAt: '2026-03-04T10:00',
      patientName: 'Carla Santos',
    });
    const [forParent, own] = (await appointmentsOf(app, v.clinic)).sort((a, b) =>
      a.startsAt.localeCompare(b.startsAt),
    );
    // The patient is the parent: their number, their name.
    const byParentPhone = await app.request('GET', '/v1/appointments', {
      key: v.clinic.key,
      query: { patientPhone: PARENT },
    });
    expect(byParentPhone.body.items.map((a: { id: string }) => a.id)).toEqual([forParent!.id]);
    // Who booked is kept as a keyed hash, never the number itself.
    const [stored] = await app.sql(
      'SELECT booked_by_phone_hash AS booker, patient_phone_hash AS patient FROM appointments WHERE id = ?',
      forParent!.id,
    );
    expect(stored!.booker).toMatch(/^v\d+:[0-9a-f]{64}$/);
    expect(stored!.booker).not.toBe(stored!.patient);
    const [ownStored] = await app.sql(
      'SELECT booked_by_phone_hash AS booker FROM appointments WHERE id = ?',
      own!.id,
    );
    expect(ownStored!.booker).toBeNull();

    // The carer finds both, the parent's named as theirs; the parent finds theirs; a stranger nothing.
    const carerFinds = await carer('find_appointments');
    expect(carerFinds).toBe(
      'Tem 2 marcações; as próximas: Consulta de rotina terça-feira, 3 de março, às 10:00 para Rosa Santos ' +
        `[ref ${referenceOf(forParent!.id)}]; Consulta de rotina quarta-feira, 4 de março, às 10:00 [ref ${referenceOf(own!.id)}].`,
    );
    expect(await parent('find_appointments')).toBe(
      `Tem Consulta de rotina terça-feira, 3 de março, às 10:00 com Dr. Rui Lopes [ref ${referenceOf(forParent!.id)}].`,
    );
    expect(await stranger('find_appointments')).toBe(NOTHING);

    // A stranger holding the reference, or the id, can neither move nor cancel it.
    const ref = referencesIn(carerFinds)[0]!;
    expect(await stranger('cancel_appointment', { reference: ref })).toBe(
      'Não encontrei nenhuma marcação com essa referência para este número.',
    );
    expect(await stranger('cancel_appointment', { appointmentId: forParent!.id })).toBe(NOTHING);
    expect(
      await stranger('reschedule_appointment', { reference: ref, newStartsAt: '2026-03-05T11:00' }),
    ).toMatch(/^Não encontrei nenhuma marcação/);
    // The parent does not see the carer's own appointment either.
    expect(await parent('cancel_appointment', { reference: referenceOf(own!.id) })).toMatch(
      /^Não encontrei nenhuma marcação/,
    );
    expect((await appointmentsOf(app, v.clinic)).map((a) => a.status)).toEqual(['confirmed', 'confirmed']);

    // The carer moves it, the parent hears the new time, the carer cancels it.
    expect(
      await carer('reschedule_appointment', { reference: ref, newStartsAt: '2026-03-05T11:00' }),
    ).toMatch(/^Remarcado: Consulta de rotina, quinta-feira, 5 de março, às 11:00/);
    expect(await parent('find_appointments')).toMatch(
      /^Tem Consulta de rotina quinta-feira, 5 de março, às 11:00/,
    );
    expect(await carer('cancel_appointment', { reference: ref, reason: 'internada' })).toBe(
      'A marcação de Consulta de rotina quinta-feira, 5 de março, às 11:00 foi cancelada.',
    );
    expect(await parent('find_appointments')).toBe(NOTHING);
    const after = await app.request('GET', `/v1/appointments/${forParent!.id}`, { key: v.clinic.key });
    expect(after.body).toMatchObject({ status: 'cancelled', cancellationReason: 'internada' });
  });

  it("the parent's own number can cancel what the carer booked; erasing the carer's number forgets who booked", async () => {
    const v = await voiceClinic(app, 'vapi', { secret: VAPI_SECRET });
    const carer = vapiCaller(app, v.path, CARER, 'call-carer-2');
    const parent = vapiCaller(app, v.path, PARENT, 'call-parent-2');
    for (const startsAt of ['2026-03-03T10:00', '2026-03-04T10:00'])
      await carer('book_appointment', {
        service: 'Consulta de rotina',
        startsAt,
        patientName: 'Rosa Santos',
        patientPhone: PARENT,
      });
    const [first, second] = (await appointmentsOf(app, v.clinic)).sort((a, b) =>
      a.startsAt.localeCompare(b.startsAt),
    );
    expect(await parent('cancel_appointment', { reference: referenceOf(first!.id) })).toBe(
      'A marcação de Consulta de rotina terça-feira, 3 de março, às 10:00 foi cancelada.',
    );

    // The carer asks the clinic to erase their number: the appointment stays the parent's alone.
    const calls = await app.request('GET', '/v1/calls', { key: v.clinic.key });
    const carerHash = calls.body.items.find(
      (c: { externalCallId: string }) => c.externalCallId === 'call-carer-2',
    ).fromNumberHash as string;
    const eraser = (await app.createKey(v.clinic.tenantId, ['patients:erase'] as never)).key;
    const erased = await app.request('POST', `/v1/patients/${encodeURIComponent(carerHash)}/erase`, {
      key: eraser,
    });
    expect(erased.status).toBe(200);
    const [stored] = await app.sql(
      'SELECT booked_by_phone_hash AS booker FROM appointments WHERE id = ?',
      second!.id,
    );
    expect(stored!.booker).toBeNull();
    expect(await carer('find_appointments')).toBe(NOTHING);
    expect(await parent('find_appointments')).toMatch(
      /^Tem Consulta de rotina quarta-feira, 4 de março, às 10:00/,
    );
  });
});
