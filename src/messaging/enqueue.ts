// Which change queues which message: a booking its confirmation (and the triage link, for a service
// that sends it with the booking), a cancellation and a reschedule their notices, an attended visit
// the feedback link. The statement joins the change's atomic unit (src/booking/record.ts) and holds only
// if the change was written and the clinic's settings want that message (see enqueueMessageIf).
import type { SQL } from 'drizzle-orm';
import { enqueueMessageIf } from '../db/messages.js';

const KINDS_FOR_ACTION = {
  created: ['confirmation', 'triage'],
  cancelled: ['cancellation'],
  rescheduled: ['reschedule'],
  attended: ['feedback'],
} as const;

export function messageForChange(
  change: { tenantId: string; appointmentId: string; action: string; commandId: string; now: number },
  condition: SQL,
): SQL[] {
  const kinds = KINDS_FOR_ACTION[change.action as keyof typeof KINDS_FOR_ACTION] ?? [];
  return kinds.map((kind) =>
    enqueueMessageIf(
      {
        kind,
        tenantId: change.tenantId,
        appointmentId: change.appointmentId,
        dedupeKey: `${kind}:${change.appointmentId}:${change.commandId}`,
        now: change.now,
      },
      condition,
    ),
  );
}
