// Runs one tool call of the catalogue through the booking core and answers one speakable sentence.
// The platform's tool-call id is the Idempotency-Key of any write, so a retried or repeated tool
// call replays the first answer instead of booking twice.

import { DateTime } from 'luxon';
import type { AppointmentView } from '../booking/appointment-view.js';
import { findAvailability, type Slot } from '../booking/availability.js';
import { bookAppointment } from '../booking/book.js';
import type { CatalogRow } from '../booking/catalog.js';
import { changeAppointment } from '../booking/change.js';
import type { CommandResult, IdempotencyRequest } from '../booking/command.js';
import type { CommandContext } from '../booking/context.js';
import { findAppointments } from '../booking/find.js';
import { idempotencyFor, parseIdempotencyKey } from '../booking/idempotency-key.js';
import { bookingWindow } from '../booking/rules.js';
import { DAY, parseInstant, renderInstant } from '../domain/time.js';
import { AppError } from '../domain/errors.js';
import { statusOf } from '../http/errors.js';
import { sha256Hex } from '../security/encoding.js';
import {
  activeProfessionals,
  activeServices,
  resolveDay,
  resolveInstant,
  resolveProfessional,
  resolveService,
} from './resolve.js';
import type { VoiceSession } from './session.js';
import { PHRASES, sayDay, sayList, sayPrice, sayTime, sayWhen } from './speech.js';
import { isToolName, parseToolArgs, type ToolArgs, type ToolName } from './tools.js';

export type CallOutcome = 'booking_created' | 'booking_cancelled' | 'booking_rescheduled';

export interface ToolOutcome {
  ok: boolean;
  text: string;
  appointmentId?: string;
  outcome?: CallOutcome;
}

const say = <K extends keyof typeof PHRASES>(s: VoiceSession, key: K) =>
  PHRASES[key][s.language] as (...args: string[]) => string;
const fail = (text: string): ToolOutcome => ({ ok: false, text });

/** The core context of a voice write: idempotent by the platform's tool-call id. */
async function commandContext(
  s: VoiceSession,
  tool: ToolName,
  args: unknown,
  toolCallId?: string,
): Promise<CommandContext> {
  let idempotency: IdempotencyRequest | undefined;
  if (toolCallId) {
    const raw = `voice:${s.platform}:${toolCallId}`;
    let key = raw;
    try {
      parseIdempotencyKey(raw);
    } catch {
      key = `voice:${s.platform}:sha256:${await sha256Hex(toolCallId)}`;
    }
    idempotency = await idempotencyFor(key, 'TOOL', tool, args);
  }
  return {
    deps: s.deps,
    tenant: s.tenant,
    actor: `voice:${s.platform}`,
    requestId: crypto.randomUUID(),
    idempotency,
    channel: 'voice_ai',
  };
}

const answerOf = (result: CommandResult) => ({
  status: result.answer.status,
  body: result.answer.body
    ? (JSON.parse(result.answer.body) as AppointmentView & { error?: string })
    : undefined,
});

const PARTS = { morning: [0, 12], afternoon: [12, 18], evening: [18, 24] } as const;

/**
 * Free times for a service, one per start time (the first professional in name order takes it),
 * earliest first, at most `limit` of them: the agent offers a handful, so the search stops early.
 */
async function freeTimes(
  s: VoiceSession,
  service: CatalogRow<'service'>,
  professionalId: string | undefined,
  from: number,
  to: number,
  partOfDay?: keyof typeof PARTS | null,
  limit = 12,
): Promise<Slot[]> {
  const zone = s.tenant.config.timezone;
  const now = s.deps.clock.now();
  const { earliest, latest } = bookingWindow(s.tenant, now);
  const start = Math.max(from, earliest);
  const end = Math.min(to, latest + 1, start + 31 * DAY);
  if (end <= start) return [];
  const accept = partOfDay
    ? (ms: number) => {
        const hour = DateTime.fromMillis(ms, { zone }).hour;
        return hour >= PARTS[partOfDay][0] && hour < PARTS[partOfDay][1];
      }
    : undefined;
  const times: Slot[] = [];
  // Several professionals may share a time; ask for pages until enough distinct times are found.
  for (let cursor = start; times.length < limit && cursor < end; ) {
    const { slots, nextFrom } = await findAvailability(s.deps, s.tenant, {
      serviceTypeId: service.id,
      professionalId,
      from: cursor,
      to: end,
      limit: 100,
      accept,
    });
    for (const slot of slots) {
      if (times.length === limit) break;
      if (times.at(-1)?.startsAt !== slot.startsAt) times.push(slot);
    }
    if (nextFrom === null) break;
    // A page can be all one start time (many professionals free at once): step past it.
    cursor = nextFrom > cursor ? nextFrom : cursor + 1;
  }
  return times;
}

async function professionalNames(s: VoiceSession) {
  return new Map((await activeProfessionals(s)).map((p) => [p.id, p.name]));
}

/** "quinta-feira, 14 de maio às 09:00, 09:30 ou 10:00 com Dra. Ana": the first day's times. */
async function sayFirstDay(s: VoiceSession, slots: Slot[], max = 3): Promise<[string, string, string]> {
  const zone = s.tenant.config.timezone;
  const day = sayDay(slots[0]!.startsAt, zone, s.language);
  const firstDate = renderInstant(slots[0]!.startsAt, zone).slice(0, 10);
  const sameDay = slots.filter((x) => renderInstant(x.startsAt, zone).startsWith(firstDate)).slice(0, max);
  const names = await professionalNames(s);
  const who = new Set(sameDay.map((x) => x.professionalId));
  const withWhom = who.size === 1 ? say(s, 'with')(names.get(sameDay[0]!.professionalId) ?? '') : '';
  return [
    day,
    sayList(
      sameDay.map((x) => sayTime(x.startsAt, zone)),
      s.language,
    ),
    withWhom,
  ];
}

/** A sentence offering the free times nearest to `around` (before or after it). */
async function offerAlternatives(
  s: VoiceSession,
  service: CatalogRow<'service'>,
  professionalId: string | undefined,
  around: number,
) {
  // The nearest free times on either side of the wanted one: up to a day before, two weeks after.
  const before = await freeTimes(s, service, professionalId, around - DAY, around, null, 1000);
  const after = await freeTimes(s, service, professionalId, around, around + 14 * DAY, null, 3);
  const slots = [...before.slice(-3), ...after];
  if (!slots.length) return say(s, 'noSlots')();
  const nearest = [...slots]
    .sort((a, b) => Math.abs(a.startsAt - around) - Math.abs(b.startsAt - around))
    .slice(0, 3)
    .sort((a, b) => a.startsAt - b.startsAt);
  const zone = s.tenant.config.timezone;
  return say(
    s,
    'alternatives',
  )(
    sayList(
      nearest.map((x) => sayWhen(x.startsAt, zone, s.language)),
      s.language,
    ),
  );
}

/** The professional the caller named, if any; a name matching nobody is answered as such. */
async function namedProfessional(
  s: VoiceSession,
  said: string | null,
): Promise<{ id: string | undefined } | { outcome: ToolOutcome }> {
  if (!said) return { id: undefined };
  const professional = await resolveProfessional(s, said);
  return professional ? { id: professional.id } : { outcome: fail(say(s, 'noProfessional')(said)) };
}

async function listServicesTool(s: VoiceSession): Promise<ToolOutcome> {
  const services = await activeServices(s);
  if (!services.length) return fail(say(s, 'noServices')());
  const items = services.map((x) => {
    const price = sayPrice(x.priceCents, x.currency, s.language);
    return `${x.name} (${x.durationMinutes} min${price ? `, ${price}` : ''})`;
  });
  return { ok: true, text: say(s, 'services')(sayList(items, s.language)) };
}

async function unknownService(s: VoiceSession) {
  return fail(
    say(
      s,
      'noService',
    )(
      sayList(
        (await activeServices(s)).map((x) => x.name),
        s.language,
      ),
    ),
  );
}

async function checkAvailabilityTool(
  s: VoiceSession,
  a: ToolArgs<'check_availability'>,
): Promise<ToolOutcome> {
  const service = await resolveService(s, a.service);
  if (!service) return unknownService(s);
  const named = await namedProfessional(s, a.professional);
  if ('outcome' in named) return named.outcome;
  const professionalId = named.id;
  const zone = s.tenant.config.timezone;
  const now = s.deps.clock.now();
  let range: [number, number] = [now, now + 14 * DAY];
  let askedDay: number | undefined;
  if (a.date) {
    const day = resolveDay(a.date, zone);
    if (!day) return fail(say(s, 'badTime')());
    range = day;
    askedDay = day[0];
  } else if (a.from) {
    const from = resolveInstant(a.from, zone);
    const to = a.to ? resolveInstant(a.to, zone) : null;
    if (from === null || (a.to && to === null)) return fail(say(s, 'badTime')());
    range = [from, to ?? from + 14 * DAY];
  }
  try {
    const slots = await freeTimes(s, service, professionalId, range[0], range[1], a.partOfDay);
    if (slots.length) return { ok: true, text: say(s, 'slots')(...(await sayFirstDay(s, slots))) };
    // Nothing in what was asked: offer the nearest day after it.
    const later = await freeTimes(s, service, professionalId, range[1], range[1] + 21 * DAY, a.partOfDay);
    if (!later.length) return fail(say(s, 'noSlots')());
    const asked = askedDay !== undefined ? sayDay(askedDay, zone, s.language) : '';
    const [day, times, who] = await sayFirstDay(s, later);
    return { ok: true, text: say(s, 'slotsOtherDay')(asked, day, times, who) };
  } catch (error) {
    if (error instanceof AppError && error.code === 'professional_not_qualified')
      return fail(say(s, 'noProfessional')(a.professional ?? ''));
    throw error;
  }
}

/** Maps a write's refusal to a sentence, with alternatives where a time was the problem. */
async function explainRefusal(
  s: VoiceSession,
  code: string | undefined,
  service: CatalogRow<'service'>,
  professionalId: string | undefined,
  wanted: number,
): Promise<ToolOutcome> {
  switch (code) {
    case 'slot_conflict':
      return fail(say(s, 'taken')(await offerAlternatives(s, service, professionalId, wanted)));
    case 'outside_working_hours':
      return fail(say(s, 'outsideHours')(await offerAlternatives(s, service, professionalId, wanted)));
    case 'insufficient_notice':
      return fail(say(s, 'tooSoon')(await offerAlternatives(s, service, professionalId, wanted)));
    case 'beyond_booking_horizon':
      return fail(say(s, 'tooFar')());
    case 'invalid_transition':
      return fail(say(s, 'cannotChange')());
    case 'validation_failed':
      return fail(wanted <= s.deps.clock.now() ? say(s, 'pastTime')() : say(s, 'badTime')());
    default:
      return fail(say(s, 'busy')());
  }
}

/** Runs a core write, turning its 4xx refusals into the same shape as its stored answers. */
async function attempt(run: () => Promise<CommandResult>) {
  try {
    return answerOf(await run());
  } catch (error) {
    if (error instanceof AppError && statusOf(error.code) < 500 && error.code !== 'concurrent_modification') {
      return {
        status: statusOf(error.code) as number,
        body: { error: error.code } as AppointmentView & { error?: string },
      };
    }
    throw error;
  }
}

async function bookTool(
  s: VoiceSession,
  a: ToolArgs<'book_appointment'>,
  toolCallId?: string,
): Promise<ToolOutcome> {
  const zone = s.tenant.config.timezone;
  const service = await resolveService(s, a.service);
  if (!service) return unknownService(s);
  const named = await namedProfessional(s, a.professional);
  if ('outcome' in named) return named.outcome;
  const professionalId = named.id;
  const startsAt = resolveInstant(a.startsAt, zone);
  if (startsAt === null) return fail(say(s, 'badTime')());
  if (!a.patientName.trim()) return fail(say(s, 'needName')());
  const phone = a.patientPhone ?? s.caller;
  if (!phone) return fail(say(s, 'needPhone')());

  const ctx = await commandContext(s, 'book_appointment', a, toolCallId);
  const result = await attempt(() =>
    bookAppointment(ctx, {
      professionalId,
      serviceTypeId: service.id,
      patientName: a.patientName.trim(),
      patientPhone: phone,
      startsAt,
      patientNotes: a.notes,
      source: 'voice_ai',
      callId: s.call.id,
    }),
  );
  if (result.status === 201 && result.body) {
    const names = await professionalNames(s);
    const appointment = result.body;
    const when = sayWhen(parseInstant(appointment.startsAt)!, zone, s.language);
    const text = say(s, 'booked')(
      service.name,
      when,
      say(s, 'with')(names.get(appointment.professionalId) ?? ''),
    );
    return { ok: true, text, appointmentId: appointment.id, outcome: 'booking_created' };
  }
  if (result.body?.error === 'validation_failed' && a.patientPhone) return fail(say(s, 'badPhone')());
  return explainRefusal(s, result.body?.error, service, professionalId, startsAt);
}

/** The caller's upcoming appointments: only those booked with the number they call from. */
async function callerAppointments(s: VoiceSession): Promise<AppointmentView[] | null> {
  if (!s.caller) return null;
  const { items } = await findAppointments(s.deps, s.tenant, {
    patientPhone: s.caller,
    from: s.deps.clock.now(),
    statuses: ['confirmed', 'rescheduled'],
    limit: 20,
  });
  return items;
}

async function describe(s: VoiceSession, appointments: AppointmentView[]) {
  const zone = s.tenant.config.timezone;
  const services = new Map((await activeServices(s)).map((x) => [x.id, x.name]));
  const names = await professionalNames(s);
  return appointments.map((x) =>
    say(s, 'appointmentItem')(
      services.get(x.serviceTypeId ?? '') ?? '',
      sayWhen(parseInstant(x.startsAt)!, zone, s.language),
      say(s, 'with')(names.get(x.professionalId) ?? ''),
    ),
  );
}

async function findTool(s: VoiceSession): Promise<ToolOutcome> {
  const mine = await callerAppointments(s);
  if (mine === null) return fail(say(s, 'needCallerId')());
  if (!mine.length) return { ok: true, text: say(s, 'noAppointments')() };
  return { ok: true, text: say(s, 'appointments')(sayList(await describe(s, mine), s.language)) };
}

/** Which of the caller's appointments is meant: by id, by start time, or the only one. */
async function pickAppointment(
  s: VoiceSession,
  id: string | null,
  startsAt: string | null,
): Promise<{ appointment: AppointmentView } | { outcome: ToolOutcome }> {
  const mine = await callerAppointments(s);
  if (mine === null) return { outcome: fail(say(s, 'needCallerId')()) };
  let candidates = mine;
  if (id) candidates = mine.filter((x) => x.id === id);
  else if (startsAt) {
    const at = resolveInstant(startsAt, s.tenant.config.timezone);
    candidates = mine.filter((x) => parseInstant(x.startsAt) === at);
  }
  if (candidates.length === 1) return { appointment: candidates[0]! };
  if (!candidates.length) return { outcome: fail(say(s, 'noAppointments')()) };
  return { outcome: fail(say(s, 'whichAppointment')(sayList(await describe(s, candidates), s.language))) };
}

async function cancelTool(
  s: VoiceSession,
  a: ToolArgs<'cancel_appointment'>,
  toolCallId?: string,
): Promise<ToolOutcome> {
  const picked = await pickAppointment(s, a.appointmentId, a.startsAt);
  if ('outcome' in picked) return picked.outcome;
  const { appointment } = picked;
  const ctx = await commandContext(s, 'cancel_appointment', a, toolCallId);
  const result = await attempt(() =>
    changeAppointment(ctx, appointment.id, {
      status: 'cancelled',
      cancellationReason: a.reason ?? undefined,
    }),
  );
  if (result.status !== 200)
    return fail(say(s, result.body?.error === 'invalid_transition' ? 'cannotChange' : 'busy')());
  const service = (await activeServices(s)).find((x) => x.id === appointment.serviceTypeId)?.name ?? '';
  const when = sayWhen(parseInstant(appointment.startsAt)!, s.tenant.config.timezone, s.language);
  return {
    ok: true,
    text: say(s, 'cancelled')(service, when),
    appointmentId: appointment.id,
    outcome: 'booking_cancelled',
  };
}

async function rescheduleTool(
  s: VoiceSession,
  a: ToolArgs<'reschedule_appointment'>,
  toolCallId?: string,
): Promise<ToolOutcome> {
  const zone = s.tenant.config.timezone;
  const picked = await pickAppointment(s, a.appointmentId, a.currentStartsAt);
  if ('outcome' in picked) return picked.outcome;
  const { appointment } = picked;
  const startsAt = resolveInstant(a.newStartsAt, zone);
  if (startsAt === null) return fail(say(s, 'badTime')());
  const named = await namedProfessional(s, a.professional);
  if ('outcome' in named) return named.outcome;
  const professionalId = named.id;
  const ctx = await commandContext(s, 'reschedule_appointment', a, toolCallId);
  const result = await attempt(() =>
    changeAppointment(ctx, appointment.id, { reschedule: { startsAt, professionalId } }),
  );
  const service = (await activeServices(s)).find((x) => x.id === appointment.serviceTypeId);
  if (result.status === 200 && result.body) {
    const names = await professionalNames(s);
    const moved = result.body;
    const text = say(s, 'moved')(
      service?.name ?? '',
      sayWhen(parseInstant(moved.startsAt)!, zone, s.language),
      say(s, 'with')(names.get(moved.professionalId) ?? ''),
    );
    return { ok: true, text, appointmentId: moved.id, outcome: 'booking_rescheduled' };
  }
  if (!service) return fail(say(s, 'busy')());
  return explainRefusal(
    s,
    result.body?.error,
    service,
    professionalId ?? appointment.professionalId,
    startsAt,
  );
}

/** Runs a named tool with raw arguments (object or JSON string). Unknown tools and bad arguments answer, never throw. */
export async function runTool(
  s: VoiceSession,
  name: string,
  rawArgs: unknown,
  toolCallId?: string,
): Promise<ToolOutcome> {
  // Own keys only: "valueOf" or "constructor" are in every object, and are not tools.
  if (!isToolName(name)) return fail(`Unknown tool "${name}"`);
  const tool = name;
  const args = parseToolArgs(tool, rawArgs);
  if ('error' in args) return fail(`Invalid arguments: ${args.error}`);
  return TOOL_RUNNERS[tool](s, args as never, toolCallId);
}

const TOOL_RUNNERS: {
  [N in ToolName]: (s: VoiceSession, a: ToolArgs<N>, toolCallId?: string) => Promise<ToolOutcome>;
} = {
  list_services: (s) => listServicesTool(s),
  check_availability: checkAvailabilityTool,
  book_appointment: bookTool,
  find_appointments: (s) => findTool(s),
  cancel_appointment: cancelTool,
  reschedule_appointment: rescheduleTool,
};
