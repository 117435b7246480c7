// Which change queues which message: a booking its confirmation, a cancellation and a reschedule
// their notices. The statement joins the change's atomic unit (src/booking/record.ts) and holds only
// if the change was written and the clinic's settings want that message (see enqueueMessageIf).
import type { SQL } from 'drizzle-orm';
import { enqueueMessageIf } from '../db/messages.js';

const KIND_FOR_ACTION = {
  created: 'confirmation',
  cancelled: 'cancellation',
  rescheduled: 'reschedule',
} as const;

export function messageForChange(
  change: { tenantId: string; appointmentId: string; action: string; commandId: string; now: number },
  condition: SQL,
): SQL[] {
  const kind = KIND_FOR_ACTION[change.action as keyof typeof KIND_FOR_ACTION];
  if (!kind) return [];
  return [
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
  ];
}
