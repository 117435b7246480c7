// Changing an appointment: status moves, notes and metadata, and rescheduling in place (same id,
// status `rescheduled`, the new slot overlap-checked inside the write). One command serves PATCH,
// DELETE and the action routes, so every change follows the same rules and leaves history.
import type { SQL } from 'drizzle-orm';
import type { AppointmentRow } from '../db/appointments.js';
import { isBookable, overlaps, unchangedSince, updateAppointmentIf, writtenBy } from '../db/appointments.js';
import { allOf, not } from '../db/store.js';
import { AppError, fieldInvalid } from '../domain/errors.js';
import type { ConfirmationChannel } from '../domain/source.js';
import { canTransition, isBlocking } from '../domain/status.js';
import { MINUTE, renderInstant } from '../domain/time.js';
import { type AppointmentStatus, viewAppointment } from './appointment-view.js';
import { type CommandResult, decided, runCommand } from './command.js';
import type { CommandContext } from './context.js';
import { getAppointment } from './find.js';
import type { Outcome } from './outcome.js';
import { recordChange } from './record.js';
import { assertSlotAllowed, bookableProfessional, bookableService, slotTaken } from './rules.js';

export interface AppointmentChange {
  status?: AppointmentStatus;
  patientNotes?: string | null;
  /** Merged into the stored metadata; a null value removes that key. */
  metadata?: Record<string, unknown>;
  cancellationReason?: string | null;
  title?: string | null;
  description?: string | null;
  patientEmail?: string | null;
  /** Record the confirmation (when, by the context's actor, through its source); once is enough. */
  confirm?: boolean;
  /** The confirmation's channel when it is not the door's source (the patient's link or reply). */
  confirmVia?: ConfirmationChannel;
  reschedule?: {
    startsAt: number;
    professionalId?: string;
    serviceTypeId?: string;
    /** A new length for this appointment; absent: the length it had (or the service's). */
    durationMinutes?: number;
  };
}

const invalidTransition = (from: string, to: string, why = '') =>
  new AppError('invalid_transition', `An appointment that is ${from} cannot become ${to}${why}`);

/** The history entry's {field: {from, to}} for the fields that really change. */
function diff(before: AppointmentRow, after: Partial<AppointmentRow>, zone: string) {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  const shown: Record<string, (v: unknown) => unknown> = {
    startsAt: (v) => renderInstant(v as number, zone),
    endsAt: (v) => renderInstant(v as number, zone),
    confirmedAt: (v) => (v === null ? null : renderInstant(v as number, zone)),
  };
  for (const [field, to] of Object.entries(after)) {
    const from = before[field as keyof AppointmentRow];
    if (from === to || field === 'blocksUntil' || field === 'patientNameSearch') continue;
    if (field === 'metadata' && JSON.stringify(from) === JSON.stringify(to)) continue;
    const show = shown[field] ?? ((v: unknown) => v);
    changes[field] = { from: show(from), to: show(to) };
  }
  return changes;
}

function mergeMetadata(stored: Record<string, unknown>, patch: Record<string, unknown>) {
  const merged: Record<string, unknown> = { ...stored };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

const refused = (refusal: AppError): Outcome => ({ kind: 'refused', refusal });

/** Applies a change to an appointment; refusals (invalid_transition, slot_conflict) leave it untouched. */
export async function changeAppointment(
  ctx: CommandContext,
  id: string,
  change: AppointmentChange,
): Promise<CommandResult> {
  const { deps, tenant } = ctx;
  const zone = tenant.config.timezone;

  return runCommand(ctx, async (commandId, now) => {
    const current = await getAppointment(deps, tenant, id);
    const from = current.status as AppointmentStatus;
    const target: AppointmentStatus = change.reschedule ? 'rescheduled' : (change.status ?? from);
    if (change.reschedule && change.status && change.status !== 'rescheduled') {
      throw fieldInvalid('status', 'A reschedule sets the status to rescheduled');
    }
    if (!change.reschedule && change.status === 'rescheduled') {
      throw fieldInvalid('startsAt', 'Give the new startsAt to reschedule');
    }

    // Answers decided from the snapshot hold only while the appointment is still at that version.
    const asRead = unchangedSince(id, current.version);
    const updates: Partial<AppointmentRow> = {};
    if (target !== from) {
      // Attended before the start is a check-in; a no-show can only be called once it has started.
      if (!canTransition(from, target)) return decided(asRead, refused(invalidTransition(from, target)));
      if (target === 'no_show' && current.startsAt > now) {
        return decided(asRead, refused(invalidTransition(from, target, ' before it starts')));
      }
      updates.status = target;
    } else if (change.reschedule && !isBlocking(from)) {
      return decided(asRead, refused(invalidTransition(from, target)));
    }
    if (change.patientNotes !== undefined) updates.patientNotes = change.patientNotes;
    if (change.metadata !== undefined) updates.metadata = mergeMetadata(current.metadata, change.metadata);
    if (target === 'cancelled' && change.cancellationReason !== undefined)
      updates.cancellationReason = change.cancellationReason;
    for (const field of ['title', 'description', 'patientEmail'] as const) {
      if (change[field] !== undefined) updates[field] = change[field];
    }
    if (change.confirm) {
      // Only an appointment that still holds its slot can be confirmed; confirming again changes nothing.
      if (!isBlocking(target)) return decided(asRead, refused(invalidTransition(target, 'confirmed')));
      if (current.confirmedAt === null)
        Object.assign(updates, {
          confirmedAt: now,
          confirmedBy: ctx.actor,
          confirmedVia: change.confirmVia ?? ctx.source,
        });
    }

    const conditions: SQL[] = [];
    let stillBookable: SQL[] = [];
    if (change.reschedule) {
      const r = change.reschedule;
      const professional = await bookableProfessional(
        deps,
        tenant,
        r.professionalId ?? current.professionalId,
      );
      const service = await bookableService(deps, tenant, r.serviceTypeId ?? current.serviceTypeId ?? '');
      const durationMinutes = r.durationMinutes ?? current.durationMinutes ?? service.durationMinutes;
      const endsAt = r.startsAt + durationMinutes * MINUTE;
      if (r.durationMinutes !== undefined) updates.durationMinutes = r.durationMinutes;
      await assertSlotAllowed(deps, tenant, {
        professional,
        service,
        startsAt: r.startsAt,
        endsAt,
        source: ctx.source,
      });
      Object.assign(updates, {
        professionalId: professional.id,
        serviceTypeId: service.id,
        startsAt: r.startsAt,
        endsAt,
        blocksUntil: endsAt + service.bufferMinutes * MINUTE,
      });
      stillBookable = [
        isBookable('professionals', tenant.id, professional.id),
        isBookable('services', tenant.id, service.id),
      ];
      const slot = {
        tenantId: tenant.id,
        professionalId: professional.id,
        startsAt: r.startsAt,
        blocksUntil: updates.blocksUntil!,
      };
      conditions.push(...stillBookable, not(overlaps(slot, id)));
    }

    const changes = diff(current, updates, zone);
    const updated: AppointmentRow = {
      ...current,
      ...updates,
      version: current.version + 1,
      lastCommandId: commandId,
      updatedAt: now,
    };
    const record = Object.keys(changes).length ? updated : current;
    const view = viewAppointment(record, zone);
    const done: Outcome = { kind: 'changed', appointment: view, record };
    // Nothing changes (a repeated cancel, the same notes): answer as done without writing.
    if (Object.keys(changes).length === 0) return decided(asRead, done);

    const action = change.reschedule ? 'rescheduled' : updates.status ? String(updates.status) : 'updated';
    return {
      writes: (guard) => [
        updateAppointmentIf(tenant.id, id, current.version, commandId, now, updates, [guard, ...conditions]),
        ...recordChange({ tenant, appointment: view, action, actor: ctx.actor, changes, now, commandId }),
      ],
      outcomes: [
        { when: writtenBy(id, commandId), outcome: done },
        // Still the version we planned from and still bookable, yet not written: the new slot is taken.
        ...(change.reschedule
          ? [{ when: allOf([asRead, ...stillBookable]), outcome: () => refused(slotTaken()) }]
          : []),
      ],
    };
  });
}
