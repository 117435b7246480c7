// Quiet hours: a window of the clinic's local day (e.g. 21:00 to 09:00) in which no reminder goes
// out. A reminder due inside it goes when it ends if that is still before the appointment, else just
// before it began (the previous evening): never inside it, and never after the visit starts.
import { DateTime } from 'luxon';
import { MINUTE } from '../domain/time.js';

export interface QuietHours {
  /** "HH:MM", clinic-local. */
  start: string;
  end: string;
}

const minutesOf = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
};

/** The quiet window containing `instant`, as [from, to) instants, or null when it is not quiet. */
export function quietWindowAt(instant: number, zone: string, quiet: QuietHours) {
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return null;
  const local = DateTime.fromMillis(instant, { zone });
  const minute = local.hour * 60 + local.minute;
  const dayStart = local.startOf('day');
  // The wall-clock time on that day, not minutes after its midnight: on a day with a clock change
  // (23 or 25 hours, or one that starts at 01:00) those differ by an hour.
  const at = (day: DateTime, minutes: number) =>
    day.set({ hour: Math.floor(minutes / 60), minute: minutes % 60 }).toMillis();
  if (start < end) {
    return minute >= start && minute < end ? { from: at(dayStart, start), to: at(dayStart, end) } : null;
  }
  // Across midnight: quiet from start to midnight, or from midnight to end.
  if (minute >= start) return { from: at(dayStart, start), to: at(dayStart.plus({ days: 1 }), end) };
  if (minute < end) return { from: at(dayStart.minus({ days: 1 }), start), to: at(dayStart, end) };
  return null;
}

/** When a reminder planned for `planned` goes, for an appointment starting at `startsAt`. */
export function reminderSendTime(planned: number, startsAt: number, zone: string, quiet: QuietHours | null) {
  if (!quiet) return planned;
  const window = quietWindowAt(planned, zone, quiet);
  if (!window) return planned;
  if (window.to < startsAt) return window.to;
  return window.from - MINUTE;
}
