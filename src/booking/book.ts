// Booking a new appointment: the one place every door (REST, voice, booking page) books through.

import {
  type AppointmentRow,
  insertAppointmentIf,
  isBookable,
  overlaps,
  writtenBy,
} from '../db/appointments.js';
import { allOf, not } from '../db/store.js';
import { toE164 } from '../domain/phone.js';
import { foldText } from '../domain/text.js';
import { MINUTE } from '../domain/time.js';
import { fieldInvalid } from '../domain/errors.js';
import { type AppointmentSource, appointmentLocation, viewAppointment } from './appointment-view.js';
import { firstFreeProfessional } from './availability.js';
import { type CommandResult, runCommand } from './command.js';
import { type CommandContext, slotConflict } from './context.js';
import { recordChange } from './record.js';
import { assertSlotAllowed, assertTimeAllowed, bookableProfessional, bookableService } from './rules.js';

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
  source: AppointmentSource;
  callId?: string | null;
}

/** Books an appointment: 201 with it, or 409 slot_conflict when the professional is taken. */
export async function bookAppointment(ctx: CommandContext, input: BookInput): Promise<CommandResult> {
  const { deps, tenant } = ctx;
  const now = deps.clock.now();
  const e164 = toE164(input.patientPhone, tenant.country);
  if (!e164) throw fieldInvalid('patientPhone', 'Not a valid phone number');

  return runCommand(deps.store, tenant.id, now, ctx.idempotency, async (commandId) => {
    const service = await bookableService(deps, tenant, input.serviceTypeId);
    // Time rules first: with no professional named, a refused time must not read as "taken".
    assertTimeAllowed(deps, tenant, input.startsAt, input.source);
    const professionalId =
      input.professionalId ?? (await firstFreeProfessional(deps, tenant, service, input.startsAt));
    const professional = await bookableProfessional(deps, tenant, professionalId);
    const endsAt = input.startsAt + service.durationMinutes * MINUTE;
    await assertSlotAllowed(deps, tenant, {
      professional,
      service,
      startsAt: input.startsAt,
      endsAt,
      source: input.source,
    });
    const id = crypto.randomUUID();
    const row: AppointmentRow = {
      id,
      tenantId: tenant.id,
      professionalId: professional.id,
      serviceTypeId: service.id,
      patientName: input.patientName,
      patientNameSearch: foldText(input.patientName),
      patientPhoneHash: await deps.vault.hash(e164, tenant.id),
      patientPhoneEncrypted: await deps.vault.encrypt(e164, `${tenant.id}:${id}`),
      startsAt: input.startsAt,
      endsAt,
      blocksUntil: endsAt + service.bufferMinutes * MINUTE,
      status: 'confirmed',
      source: input.source,
      patientNotes: input.patientNotes ?? null,
      metadata: JSON.stringify(input.metadata ?? {}),
      cancellationReason: null,
      callId: input.callId ?? null,
      version: 1,
      lastCommandId: commandId,
      createdAt: now,
      updatedAt: now,
    };
    const stillBookable = [
      isBookable('professionals', tenant.id, row.professionalId),
      isBookable('services', tenant.id, service.id),
    ];
    const view = viewAppointment(row, tenant.config.timezone);
    const created = {
      status: 201,
      body: JSON.stringify(view),
      location: appointmentLocation(id),
    };
    return {
      writes: (guard) => [
        insertAppointmentIf(row, [guard, ...stillBookable, not(overlaps(row))]),
        ...recordChange({
          tenant,
          appointment: view,
          action: 'created',
          actor: ctx.actor,
          changes: {
            status: { from: null, to: 'confirmed' },
            startsAt: { from: null, to: view.startsAt },
            professionalId: { from: null, to: row.professionalId },
          },
          now,
          commandId,
        }),
      ],
      answers: [
        { when: writtenBy(id, commandId), answer: created },
        // Professional and service still bookable, yet no insert: the slot was taken.
        { when: allOf(stillBookable), answer: slotConflict(ctx) },
      ],
    };
  });
}
