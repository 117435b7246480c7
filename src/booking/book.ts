// Booking a new appointment: the one place every door (REST, voice, booking page) books through.

import {
  type AppointmentRow,
  fewerUpcomingSelfService,
  insertAppointmentIf,
  isBookable,
  overlaps,
  writtenBy,
} from '../db/appointments.js';
import { allOf, not } from '../db/store.js';
import { fieldInvalid } from '../domain/errors.js';
import { patientName } from '../domain/patient-name.js';
import { toE164 } from '../domain/phone.js';
import { foldText } from '../domain/text.js';
import { MINUTE } from '../domain/time.js';
import { catalogOnce } from './active-catalog.js';
import { viewAppointment } from './appointment-view.js';
import { firstFreeProfessional } from './availability.js';
import { type CommandPlan, type CommandResult, runCommand } from './command.js';
import type { CommandContext } from './context.js';
import { patientIdLookup } from './patient-id.js';
import { recordChange } from './record.js';
import {
  assertSlotAllowed,
  assertTimeAllowed,
  bookableProfessional,
  bookableService,
  slotTaken,
  upcomingCapReached,
} from './rules.js';

/** What an appointment's sealed phone is bound to: its clinic and its id (AES-GCM associated data). */
export const appointmentSeal = (tenantId: string, appointmentId: string) => `${tenantId}:${appointmentId}`;

export interface BookInput {
  /** Absent: the first qualified professional free at that time (voice, booking page). */
  professionalId?: string;
  serviceTypeId: string;
  patientName: string;
  /** As the caller gave it: E.164, or national digits read with the clinic's country. */
  patientPhone: string;
  startsAt: number;
  patientNotes?: string | null;
  metadata?: Record<string, unknown>;
  callId?: string | null;
  /**
   * The number of whoever booked, when the door knows it (a voice caller's ID). Kept, as a keyed hash,
   * only when it is not the patient's own: a carer booking for a parent can then manage the booking.
   */
  bookedByPhone?: string | null;
  title?: string | null;
  description?: string | null;
  patientEmail?: string | null;
  /** This appointment's length when it is not the service's; the overlap rule uses it. */
  durationMinutes?: number;
}

/** Books an appointment (source: the door's): booked, or refused with slot_conflict when taken. */
export async function bookAppointment(ctx: CommandContext, input: BookInput): Promise<CommandResult> {
  const { deps, tenant, source } = ctx;
  const name = patientName(input.patientName);
  const e164 = toE164(input.patientPhone, tenant.country);
  if (!e164) throw fieldInvalid('patientPhone', 'Not a valid phone number');
  const booker = input.bookedByPhone ? toE164(input.bookedByPhone, tenant.country) : null;
  const patient = await patientIdLookup(deps, tenant, e164);

  return runCommand(ctx, async (commandId, now): Promise<CommandPlan> => {
    // The plan's snapshot in one round trip: the catalogue (unless the door holds it) and the patient.
    const catalogs = ctx.catalog ?? catalogOnce(deps, tenant.id);
    const [catalog, patientRows] = await catalogs.readWith(patient.read);
    const service = await bookableService(deps, tenant, input.serviceTypeId, catalog);
    // Time rules first: with no professional named, a refused time must not read as "taken".
    assertTimeAllowed(deps, tenant, input.startsAt, source);
    const professionalId =
      input.professionalId ?? (await firstFreeProfessional(deps, tenant, service, input.startsAt, catalogs));
    const professional = await bookableProfessional(deps, tenant, professionalId, catalog);
    const endsAt = input.startsAt + (input.durationMinutes ?? service.durationMinutes) * MINUTE;
    await assertSlotAllowed(deps, tenant, {
      professional,
      service,
      startsAt: input.startsAt,
      endsAt,
      source,
      // Chosen by availability for exactly this start and the service's length: within hours.
      hoursChecked: input.professionalId === undefined && input.durationMinutes === undefined,
    });
    const id = crypto.randomUUID();
    const phoneHash = await deps.vault.hash(e164, tenant.id);
    const row: AppointmentRow = {
      id,
      tenantId: tenant.id,
      professionalId: professional.id,
      serviceTypeId: service.id,
      patientName: name,
      patientNameSearch: foldText(name),
      patientPhoneHash: phoneHash,
      patientPhoneEncrypted: await deps.vault.encrypt(e164, appointmentSeal(tenant.id, id)),
      bookedByPhoneHash: booker && booker !== e164 ? await deps.vault.hash(booker, tenant.id) : null,
      startsAt: input.startsAt,
      endsAt,
      blocksUntil: endsAt + service.bufferMinutes * MINUTE,
      status: 'confirmed',
      source,
      patientNotes: input.patientNotes ?? null,
      metadata: input.metadata ?? {},
      cancellationReason: null,
      callId: input.callId ?? null,
      patientId: await patient.decide(patientRows, phoneHash),
      patientEmail: input.patientEmail ?? null,
      title: input.title ?? null,
      description: input.description ?? null,
      durationMinutes: input.durationMinutes ?? null,
      confirmedAt: null,
      confirmedBy: null,
      confirmedVia: null,
      version: 1,
      lastCommandId: commandId,
      createdAt: now,
      updatedAt: now,
    };
    const stillBookable = [
      isBookable('professionals', tenant.id, row.professionalId),
      isBookable('services', tenant.id, service.id),
    ];
    // Online, a phone holds only a few upcoming appointments (a bot cannot fill the diary); counted
    // inside the write, so parallel requests cannot pass the cap together.
    const withinCap =
      source === 'self_service'
        ? [
            fewerUpcomingSelfService(
              tenant.id,
              await deps.vault.lookupHashes(e164, tenant),
              now,
              tenant.config.selfServiceUpcomingPerPhone,
            ),
          ]
        : [];
    const appointment = viewAppointment(row, tenant.config.timezone);
    return {
      writes: (guard) => [
        insertAppointmentIf(row, [guard, ...stillBookable, ...withinCap, not(overlaps(row))]),
        ...recordChange({
          tenant,
          appointment,
          action: 'created',
          actor: ctx.actor,
          changes: {
            status: { from: null, to: 'confirmed' },
            startsAt: { from: null, to: appointment.startsAt },
            professionalId: { from: null, to: row.professionalId },
          },
          now,
          commandId,
        }),
      ],
      outcomes: [
        {
          when: writtenBy(id, commandId),
          outcome: {
            kind: 'booked',
            appointment,
            record: row,
            professional: { id: professional.id, name: professional.name },
            service: { id: service.id, name: service.name },
          },
        },
        ...withinCap.map((cap) => ({
          when: not(cap),
          outcome: () => ({
            kind: 'refused' as const,
            refusal: upcomingCapReached(tenant.config.selfServiceUpcomingPerPhone),
          }),
        })),
        // Professional and service still bookable, yet no insert: the slot was taken.
        { when: allOf(stillBookable), outcome: () => ({ kind: 'refused', refusal: slotTaken() }) },
      ],
    };
  });
}
