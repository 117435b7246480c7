// Instants are stored as UTC epoch milliseconds and rendered with the clinic's own offset.
import { DateTime, IANAZone } from 'luxon';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const isTimeZone = (zone: string) => IANAZone.isValidZone(zone);

// Rendering thousands of slots was dominated by luxon asking Intl for each offset. Offsets are
// cached per hour when the offset is the same at both ends of that hour; an hour that contains a
// change (they do not all fall on the hour: Newfoundland's fell at 00:01) is computed exactly.
const offsetCache = new Map<string, Map<number, number | null>>();
// Whether luxon writes "Z" rather than "+00:00" for this zone (it does for UTC itself).
const writesZ = new Map<string, boolean>();

/** The zone's UTC offset in minutes at an instant. */
export function offsetMinutes(ms: number, zone: string): number {
  let byHour = offsetCache.get(zone);
  if (!byHour) {
    byHour = new Map();
    offsetCache.set(zone, byHour);
  }
  const hour = Math.floor(ms / HOUR);
  let offset = byHour.get(hour);
  if (offset === undefined) {
    const iana = IANAZone.create(zone);
    const [first, last] = [iana.offset(hour * HOUR), iana.offset((hour + 1) * HOUR - 1)];
    offset = first === last ? first : null;
    if (byHour.size > 50_000) byHour.clear();
    byHour.set(hour, offset);
  }
  return offset ?? IANAZone.create(zone).offset(ms);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `2026-05-14T10:00:00+01:00`: the instant as the clinic's wall clock shows it (luxon's ISO format). */
export function renderInstant(ms: number, zone: string): string {
  const offset = offsetMinutes(ms, zone);
  const local = ms + offset * MINUTE;
  const tail = offset === 0 && writesUtcAsZ(zone) ? 'Z' : offsetText(offset);
  if (ms % 1000 !== 0) return `${new Date(local).toISOString().slice(0, 23)}${tail}`;
  // Availability renders thousands of whole-second instants per answer: the local date and hour
  // (`2026-05-14T10:`) are taken once per local hour, the minutes and seconds are arithmetic.
  const hour = Math.floor(local / HOUR);
  let head = hourHeads.get(hour);
  if (head === undefined) {
    head = new Date(hour * HOUR).toISOString().slice(0, 14);
    if (hourHeads.size > 50_000) hourHeads.clear();
    hourHeads.set(hour, head);
  }
  const inHour = local - hour * HOUR;
  return `${head}${TWO_DIGITS[Math.floor(inHour / MINUTE)]}:${TWO_DIGITS[Math.floor((inHour % MINUTE) / 1000)]}${tail}`;
}

// "00" to "59", and each offset's "+01:00" once: padding them anew was a third of renderInstant.
const TWO_DIGITS = Array.from({ length: 60 }, (_, n) => String(n).padStart(2, '0'));
const offsetTexts = new Map<number, string>();

// `YYYY-MM-DDTHH:` of a local hour (local time written as UTC): the same in every zone.
const hourHeads = new Map<number, string>();

/** Whether luxon writes "Z" rather than "+00:00" for this zone (it does for UTC itself). */
function writesUtcAsZ(zone: string): boolean {
  let z = writesZ.get(zone);
  if (z === undefined) {
    z = DateTime.fromMillis(0, { zone }).zone.isUniversal;
    writesZ.set(zone, z);
  }
  return z;
}

function offsetText(offset: number): string {
  let text = offsetTexts.get(offset);
  if (text === undefined) {
    const abs = Math.abs(offset);
    text = `${offset < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
    offsetTexts.set(offset, text);
  }
  return text;
}

export const renderOptionalInstant = (ms: number | null, zone: string) =>
  ms === null ? null : renderInstant(ms, zone);

/** A clinic-local day `YYYY-MM-DD` → [its first instant, the next day's first instant), or null. */
export function localDay(date: string, zone: string): [number, number] | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  const day = DateTime.fromISO(date, { zone });
  return day.isValid
    ? [day.startOf('day').toMillis(), day.plus({ days: 1 }).startOf('day').toMillis()]
    : null;
}

// Well inside four-digit years, where an ISO date is `YYYY-MM-DD`; outside, luxon decides the form.
const FOUR_DIGIT_YEARS_FROM = Date.parse('1000-01-01T00:00:00Z');
const FOUR_DIGIT_YEARS_TO = Date.parse('9999-12-30T00:00:00Z');

/**
 * The clinic-local date `YYYY-MM-DD` of an instant: the UTC date of its local wall clock, from the
 * cached offset. Availability and the voice door ask it per window and per slot; luxon asked Intl
 * each time (7% of a voice availability check).
 */
export function localDate(ms: number, zone: string): string {
  if (ms < FOUR_DIGIT_YEARS_FROM || ms > FOUR_DIGIT_YEARS_TO)
    return DateTime.fromMillis(ms, { zone }).toISODate()!;
  return new Date(ms + offsetMinutes(ms, zone) * MINUTE).toISOString().slice(0, 10);
}

/** Parses an ISO 8601 date-time that carries an offset or `Z`; null when it is not one. */
export function parseInstant(text: string): number | null {
  const plain = plainInstant(text);
  if (plain !== undefined) return plain;
  if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(text)) return null;
  const parsed = DateTime.fromISO(text, { setZone: true });
  return parsed.isValid ? parsed.toMillis() : null;
}

// The shape every door sends (`2026-05-14T10:00:00.000+01:00` and its shorter forms), read by hand:
// luxon's parse was 1–2% of a booking. Anything else, or a field out of its everyday range, goes to
// luxon, whose answer stays the rule (test/unit/time.test.ts compares the two).
const PLAIN_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{3}))?)?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;

function plainInstant(text: string): number | undefined {
  const m = PLAIN_INSTANT.exec(text);
  if (!m) return undefined;
  const field = (i: number) => Number(m[i] ?? 0);
  const [year, month, day, hour, minute, second] = [
    field(1),
    field(2),
    field(3),
    field(4),
    field(5),
    field(6),
  ];
  const [offsetHours, offsetMinutes] = [field(10), field(11)];
  // Years before 1000 (Date.UTC reads 0–99 as 19xx), hour 24, leap seconds, odd offsets: luxon's call.
  if (year < 1000 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59)
    return undefined;
  if (offsetHours > 23 || offsetMinutes > 59) return undefined;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, field(7));
  // 30 February rolls over in Date.UTC; luxon refuses it.
  if (new Date(wall).getUTCDate() !== day) return undefined;
  const offset = (offsetHours * 60 + offsetMinutes) * (m[9] === '-' ? -1 : 1);
  return wall - offset * MINUTE;
}

/**
 * The instant a wall-clock time names in a zone, `wall` being that time written as if it were UTC
 * (Date.UTC(y, m, d, h, min)). luxon's two-pass correction: a time inside a spring-forward gap moves
 * forward by the gap (01:30 → 02:30); a time the autumn change repeats takes its later occurrence.
 */
export function wallToInstant(wall: number, zone: string): number {
  const guessed = offsetMinutes(wall, zone);
  const first = wall - guessed * MINUTE;
  const actual = offsetMinutes(first, zone);
  if (actual === guessed) return first;
  const second = wall - actual * MINUTE;
  const check = offsetMinutes(second, zone);
  if (check === actual) return second;
  return wall - Math.min(actual, check) * MINUTE;
}
