// Instants are stored as UTC epoch milliseconds and rendered with the clinic's own offset.
import { DateTime, IANAZone } from 'luxon';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const isTimeZone = (zone: string) => IANAZone.isValidZone(zone);

/** `2026-05-14T10:00:00+01:00`: the instant as the clinic's wall clock shows it. */
export function renderInstant(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true })!;
}

export const renderOptionalInstant = (ms: number | null, zone: string) =>
  ms === null ? null : renderInstant(ms, zone);

/** Parses an ISO 8601 date-time that carries an offset or `Z`; null when it is not one. */
export function parseInstant(text: string): number | null {
  if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(text)) return null;
  const parsed = DateTime.fromISO(text, { setZone: true });
  return parsed.isValid ? parsed.toMillis() : null;
}
