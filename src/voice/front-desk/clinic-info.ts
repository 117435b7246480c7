// clinic_info: where the clinic is, when it is open (today and the next seven days), and what it
// offers with duration and price; one topic when the caller asked one thing, all three otherwise.

import { DateTime } from 'luxon';
import { openingHours } from '../../booking/opening-hours.js';
import { type Language, languageOf } from '../../domain/language.js';
import { DAY } from '../../domain/time.js';
import type { Interval } from '../../domain/working-hours.js';
import type { ToolOutcome } from '../run-tool.js';
import type { VoiceSession } from '../session.js';
import { sayList } from '../speech.js';
import type { ToolArgs } from '../tools.js';
import { deskSay, weekdayName } from './phrases.js';

const clock = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).toFormat('HH:mm');

/** "das 09:00 às 13:00 e das 14:00 às 18:00" for one day's intervals. */
const sayIntervals = (intervals: Interval[], zone: string, lang: Language) =>
  sayList(
    intervals.map((i) => deskSay(lang, 'span')(clock(i.start, zone), clock(i.end, zone))),
    lang,
    'and',
  );

function addressOf(s: VoiceSession): string | null {
  const { address, postalCode, city } = s.tenant;
  const place = [postalCode, city].filter(Boolean).join(' ');
  return [address, place].filter(Boolean).join(', ') || null;
}

/** Today's hours and, with `week`, the next seven days', days with the same hours said together. */
async function hoursText(s: VoiceSession, lang: Language, withWeek: boolean): Promise<string> {
  const zone = s.tenant.config.timezone;
  const now = s.deps.clock.now();
  const today = DateTime.fromMillis(now, { zone }).startOf('day');
  const end = today.plus({ days: 7 }).toMillis();
  const hours = await openingHours(s.deps, s.tenant, today.toMillis(), end);
  const days = Array.from({ length: 7 }, (_, n) => {
    const from = today.plus({ days: n }).toMillis();
    const to = today.plus({ days: n + 1 }).toMillis();
    const intervals = hours
      .filter((i) => i.end > from && i.start < to)
      .map((i) => ({ start: Math.max(i.start, from), end: Math.min(i.end, to) }));
    return { from, said: intervals.length ? sayIntervals(intervals, zone, lang) : deskSay(lang, 'closed')() };
  });
  const todayText = hours.some((i) => i.start < today.toMillis() + DAY && i.end > today.toMillis())
    ? deskSay(lang, 'today')(days[0]!.said)
    : deskSay(lang, 'closedToday')();
  if (!withWeek) return todayText;
  // Runs of consecutive days with the same hours: "segunda-feira a sexta-feira, das 09:00 às 18:00".
  const runs: { first: number; last: number; said: string }[] = [];
  for (const day of days) {
    const run = runs.at(-1);
    if (run && run.said === day.said) run.last = day.from;
    else runs.push({ first: day.from, last: day.from, said: day.said });
  }
  const week = runs.map((r) => {
    const first = weekdayName(r.first, zone, lang);
    const last = weekdayName(r.last, zone, lang);
    // Two days are "sábado e domingo"; a longer run "segunda-feira a sexta-feira".
    const named =
      r.first === r.last
        ? first
        : r.last - r.first <= 1.5 * DAY
          ? sayList([first, last], lang, 'and')
          : deskSay(lang, 'dayRange')(first, last);
    return `${named}, ${r.said}`;
  });
  return `${todayText} ${deskSay(lang, 'week')(week.join('; '))}`;
}

/**
 * The address, today's hours and an offer of the rest when no topic is given; the week's hours for
 * `hours`. Services and prices are the list_services answer (the dispatcher sends `services` there),
 * so every answer stays within the spoken budget.
 */
export async function clinicInfoTool(s: VoiceSession, a: ToolArgs<'clinic_info'>): Promise<ToolOutcome> {
  const lang = languageOf(s.tenant.config.language);
  if (a.topic === 'hours') return { ok: true, text: await hoursText(s, lang, true) };
  const address = addressOf(s);
  const said = address ? deskSay(lang, 'address')(s.tenant.name, address) : deskSay(lang, 'noAddress')();
  if (a.topic === 'address') return { ok: true, text: said };
  return { ok: true, text: `${said} ${await hoursText(s, lang, false)} ${deskSay(lang, 'askMore')()}` };
}
