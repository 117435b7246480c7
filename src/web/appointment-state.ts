// The patient's view of their appointment, shared by the page and its JSON API: names and local
// time, what state it is in and what the patient may still do. Never the phone, its hash or staff ids.

import { bookedWith } from '../booking/catalog.js';
import type { OpenedLink } from '../booking/patient-link.js';
import type { AppDeps } from '../deps.js';
import { isBlocking } from '../domain/status.js';
import { renderInstant } from '../domain/time.js';
import { messageLanguageOf, whenValues } from '../messaging/templates.js';

export type PatientState = 'pending' | 'confirmed' | 'cancelled' | 'past';

export interface PatientView {
  clinicName: string;
  serviceName: string | null;
  professionalName: string;
  /** ISO 8601 in the clinic's zone. */
  startsAt: string;
  date: string;
  time: string;
  state: PatientState;
  /** Whether the patient may still confirm, cancel or move it. */
  canChange: boolean;
  canMove: boolean;
}

export const stateOf = (
  a: Pick<OpenedLink['appointment'], 'status' | 'startsAt' | 'confirmedAt'>,
  now: number,
): PatientState => {
  if (a.status === 'cancelled') return 'cancelled';
  if (!isBlocking(a.status) || a.startsAt <= now) return 'past';
  return a.confirmedAt === null ? 'pending' : 'confirmed';
};

export async function patientView(
  deps: AppDeps,
  { tenant, appointment: a }: OpenedLink,
): Promise<PatientView> {
  // Removed since the visit was booked, they are still the visit's: the page names them.
  const { professional, service } = await bookedWith(deps.store.db, a);
  const zone = tenant.config.timezone;
  const state = stateOf(a, deps.clock.now());
  const canChange = state === 'pending' || state === 'confirmed';
  return {
    clinicName: tenant.name,
    serviceName: service?.name ?? null,
    professionalName: professional?.name ?? '',
    startsAt: renderInstant(a.startsAt, zone),
    ...whenValues(a.startsAt, zone, messageLanguageOf(tenant.config.language)),
    state,
    canChange,
    // Moving needs a service still offered: its length and who provides it.
    canMove: canChange && service !== undefined && !service.removed,
  };
}
