// The free-slots answer written as JSON text directly. A 31-day query answers up to 500 slots (5,000 on
// request): building an object per slot and handing them to JSON.stringify was over a fifth of the
// request. Written here, each instant is rendered once (ten professionals free at 10:00 share one
// text) and each id quoted once. test/api/availability-json.test.ts checks it gives the text
// JSON.stringify gives for the object form, byte for byte.
import type { Slot } from '../booking/availability.js';
import { keptUpTo } from '../domain/kept.js';
import { renderInstant } from '../domain/time.js';

export interface AvailabilityAnswer {
  serviceTypeId: string;
  timezone: string;
  slots: Slot[];
  nextFrom: number | null;
}

export function availabilityJson({ serviceTypeId, timezone, slots, nextFrom }: AvailabilityAnswer): string {
  // Per answer: every instant and id it holds, each written once.
  const instants = keptUpTo<number, string>(Number.POSITIVE_INFINITY);
  const instant = (ms: number) => instants(ms, () => JSON.stringify(renderInstant(ms, timezone)));
  const ids = keptUpTo<string, string>(Number.POSITIVE_INFINITY);
  const id = (value: string) => ids(value, () => JSON.stringify(value));
  const items = slots
    .map(
      (s) =>
        `{"startsAt":${instant(s.startsAt)},"endsAt":${instant(s.endsAt)},"professionalId":${id(s.professionalId)}}`,
    )
    .join(',');
  const next = nextFrom === null ? 'null' : instant(nextFrom);
  return `{"serviceTypeId":${JSON.stringify(serviceTypeId)},"timezone":${JSON.stringify(timezone)},"items":[${items}],"nextFrom":${next}}`;
}
