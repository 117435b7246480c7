// Runs one tool call of the catalogue through the booking core and answers one speakable sentence.
// The platform's tool-call id is the Idempotency-Key of any write, so a retried or repeated tool
// call replays the first answer instead of booking twice.

import { DateTime } from 'luxon';
import type { Slot } from '../booking/availability.js';
import { bookAppointment } from '../booking/book.js';
import type { CatalogRow } from '../booking/catalog.js';
import { changeAppointment } from '../booking/change.js';
import { type CommandResult, recordedAnswer } from '../booking/command.js';
import { type CommandContext, commandContext } from '../booking/context.js';
import { alreadyBooked, upcomingForHolder } from '../booking/find.js';
import { parseIdempotencyKey } from '../booking/idempotency-key.js';
import type { AnswerFor, DoorAnswer, Outcome } from '../booking/outcome.js';
import { freeStartTimes } from '../booking/start-times.js';
import type { AppointmentRow } from '../db/appointments.js';
import { AppError } from '../domain/errors.js';
import { isPatientName, patientName } from '../domain/patient-name.js';
import { appointmentReference, hasReference } from '../domain/reference.js';
import { DAY, localDate } from '../domain/time.js';
import type { Sha256Hex } from '../security/encoding.js';
import { clinicInfoTool } from './front-desk/clinic-info.js';
import { emergencyAnswer, reportSymptomsTool } from './front-desk/emergency.js';
import { takeMessageTool } from './front-desk/take-message.js';
import { transferTool } from './front-desk/transfer.js';
import {
  activeProfessionals,
  activeServices,
  resolveDay,
  resolveInstant,
  resolveProfessional,
  resolveService,
} from './resolve.js';
import type { VoiceSession } from './session.js';
import { type PHRASES, phrase, sayDay, sayList, sayPrice, sayTime, sayWhen } from './speech.js';
import { isToolName, parseToolArgs, type ToolArgs, type ToolName } from './tools.js';

export type CallOutcome =
  | 'booking_created'
  | 'booking_cancelled'
  | 'booking_rescheduled'
  // The front desk (src/voice/front-desk/).
  | 'emergency'
  | 'message_taken'
  | 'transferred_to_human';

export interface ToolOutcome {
  ok: boolean;
  text: string;
  /** Why nothing ran, when the clinic refused the call as a whole (a suspended clinic). */
  refusal?: 'tenant_inactive';
  appointmentId?: string;
  outcome?: CallOutcome;
  /** Hand the call to this E.164 number: each platform adapter does it its own way (front-desk/transfer.ts). */
  transfer?: { number: string };
}

const say = <K extends keyof typeof PHRASES>(s: VoiceSession, key: K) => phrase(s.language, key);
const fail = (text: string): ToolOutcome => ({ ok: false, text });

/*
 * The voice door's answers, recorded with the tool-call id: a write that went through is its spoken
 * sentence (status 200, the appointment's id as `location`); a refusal decided inside the write is its
 * code (status 409), explained afresh on every reply because the alternatives it offers move.
 */
const spoken = (text: string, appointmentId: string): DoorAnswer => ({
  status: 200,
  body: text,
  location: appointmentId,
});

const voiceAnswer =
  (done: (outcome: Exclude<Outcome, { kind: 'refused' }>) => string | Promise<string>): AnswerFor =>
  async (outcome) =>
    outcome.kind === 'refused'
      ? { status: 409, body: outcome.refusal.code, location: null }
      : spoken(await done(outcome), outcome.appointment.id);

/** The tool-call id as a key: used as sent when it is a valid key, else by its digest. */
async function toolCallKey(toolCallId: string, digest: Sha256Hex) {
  try {
    return parseIdempotencyKey(toolCallId) as string;
  } catch {
    return `sha256:${await digest(toolCallId)}`;
  }
}

/** The core context of a voice write: idempotent by the platform's tool-call id. */
export async function voiceCommand<O = Outcome>(
  s: VoiceSession,
  tool: ToolName,
  args: unknown,
  answer: AnswerFor<O>,
  toolCallId?: string,
): Promise<CommandContext<O>> {
  return commandContext<O>({
    deps: s.deps,
    tenant: s.tenant,
    actor: `voice:${s.platform}`,
    source: 'voice_ai',
    answer,
    catalog: s.catalog,
    key: toolCallId
      ? // Per call: models reuse ids such as "call_0" from one call to the next.
        {
          value: await toolCallKey(toolCallId, s.deps.sha256Hex),
          scope: `voice:${s.platform}:${s.call.id}`,
          operation: tool,
          input: args,
        }
      : undefined,
  });
}

const PARTS = { morning: [0, 12], afternoon: [12, 18], evening: [18, 24] } as const;

/** Free start times for a service, earliest first, at most `limit`: the agent offers a handful. */
function freeTimes(
  s: VoiceSession,
  service: CatalogRow<'service'>,
  professionalId: string | undefined,
  from: number,
  to: number,
  partOfDay?: keyof typeof PARTS | null,
  limit = 12,
): Promise<Slot[]> {
  const zone = s.tenant.config.timezone;
  const accept = partOfDay
    ? (ms: number) => {
        const hour = DateTime.fromMillis(ms, { zone }).hour;
        return hour >= PARTS[partOfDay][0] && hour < PARTS[partOfDay][1];
      }
    : undefined;
  return freeStartTimes(
    s.deps,
    s.tenant,
    {
      serviceTypeId: service.id,
      professionalId,
      from,
      to,
      limit,
      accept,
    },
    s.catalog,
  );
}

async function professionalNames(s: VoiceSession) {
  return new Map((await activeProfessionals(s)).map((p) => [p.id, p.name]));
}

/** "quinta-feira, 14 de maio às 09:00, 09:30 ou 10:00 com Dra. Ana": the first day's times. */
async function sayFirstDay(s: VoiceSession, slots: Slot[], max = 3): Promise<[string, string, string]> {
  const zone = s.tenant.config.timezone;
  const day = sayDay(slots[0]!.startsAt, zone, s.language);
  const firstDate = localDate(slots[0]!.startsAt, zone);
  const sameDay = slots.filter((x) => localDate(x.startsAt, zone) === firstDate).slice(0, max);
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

// How many services, and how many appointments, one answer names: the rest are counted and offered.
const SERVICES_SAID = 4;
const APPOINTMENTS_SAID = 2;

async function listServicesTool(s: VoiceSession): Promise<ToolOutcome> {
  const services = await activeServices(s);
  if (!services.length) return fail(say(s, 'noServices')());
  const items = services.slice(0, SERVICES_SAID).map((x) => {
    const price = sayPrice(x.priceCents, x.currency, s.language);
    return `${x.name} (${x.durationMinutes} min${price ? `, ${price}` : ''})`;
  });
  const more = services.length - items.length;
  return {
    ok: true,
    text: say(s, 'services')(sayList(items, s.language)) + (more ? say(s, 'moreServices')(String(more)) : ''),
  };
}

async function unknownService(s: VoiceSession) {
  const services = await activeServices(s);
  const named = services.slice(0, SERVICES_SAID).map((x) => x.name);
  const more = services.length - named.length;
  return fail(
    say(s, 'noService')(sayList(named, s.language)) + (more ? say(s, 'moreServices')(String(more)) : ''),
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

type Attempt = { done: DoorAnswer; appointmentId: string } | { refused: string };

/** A refusal thrown by the core (a rule, a reused key) as its code; anything else stays thrown. */
async function caught<T>(run: () => Promise<T>): Promise<T | { refused: string }> {
  try {
    return await run();
  } catch (error) {
    if (
      error instanceof AppError &&
      error.code !== 'internal_error' &&
      error.code !== 'concurrent_modification'
    )
      return { refused: error.code };
    throw error;
  }
}

const read = (answer: DoorAnswer): Attempt =>
  answer.status === 200 && answer.location
    ? { done: answer, appointmentId: answer.location }
    : { refused: answer.body };

/** Runs a core write: its recorded sentence, or the code of its refusal (decided in the write or before). */
async function attempt(run: () => Promise<CommandResult>): Promise<Attempt> {
  const result = await caught(run);
  return 'refused' in result ? result : read(result.answer);
}

/** A tool call whose id was already answered: its first answer, whatever changed since. */
async function answeredBefore(ctx: CommandContext): Promise<Attempt | null> {
  const result = await caught(() => recordedAnswer(ctx));
  return result === null || 'refused' in result ? result : read(result.answer);
}

const told = (result: { done: DoorAnswer; appointmentId: string }, outcome: CallOutcome): ToolOutcome => ({
  ok: true,
  text: result.done.body,
  appointmentId: result.appointmentId,
  outcome,
});

async function bookTool(
  s: VoiceSession,
  a: ToolArgs<'book_appointment'>,
  toolCallId?: string,
): Promise<ToolOutcome> {
  // A red flag in the reason for the visit books nothing: see front-desk/emergency.ts.
  const emergency = emergencyAnswer(s, a.notes);
  if (emergency) return emergency;
  const zone = s.tenant.config.timezone;
  const service = await resolveService(s, a.service);
  if (!service) return unknownService(s);
  const named = await namedProfessional(s, a.professional);
  if ('outcome' in named) return named.outcome;
  const professionalId = named.id;
  const startsAt = resolveInstant(a.startsAt, zone);
  if (startsAt === null) return fail(say(s, 'badTime')());
  // The core's name rule decides; the agent hears a question it can act on rather than a refusal.
  if (!isPatientName(a.patientName)) return fail(say(s, 'needName')());
  const name = patientName(a.patientName);
  const phone = a.patientPhone ?? s.caller;
  if (!phone) return fail(say(s, 'needPhone')());

  const sayBooked = (who: string) =>
    say(s, 'booked')(service.name, sayWhen(startsAt, zone, s.language), say(s, 'with')(who));
  const booked = voiceAnswer((o) => sayBooked(o.kind === 'booked' ? o.professional.name : ''));
  const ctx = await voiceCommand(s, 'book_appointment', a, booked, toolCallId);
  const previous = await answeredBefore(ctx);
  if (!previous) {
    // The caller asking again, in a new tool call, for the appointment they already hold is told it
    // is theirs: not that the time is taken, nor booked a second time with another professional.
    const theirs = await alreadyBooked(s.deps, s.tenant, {
      patientPhone: phone,
      patientName: name,
      serviceTypeId: service.id,
      startsAt,
      professionalId,
    });
    if (theirs) {
      const names = await professionalNames(s);
      return { ok: true, text: sayBooked(names.get(theirs.professionalId) ?? ''), appointmentId: theirs.id };
    }
  }
  const result =
    previous ??
    (await attempt(() =>
      bookAppointment(ctx, {
        professionalId,
        serviceTypeId: service.id,
        patientName: name,
        patientPhone: phone,
        startsAt,
        patientNotes: a.notes,
        callId: s.call.id,
        // A carer booking with a parent's number keeps access from the number they call from.
        bookedByPhone: s.caller,
      }),
    ));
  if ('done' in result) return told(result, 'booking_created');
  if (result.refused === 'validation_failed' && a.patientPhone) return fail(say(s, 'badPhone')());
  return explainRefusal(s, result.refused, service, professionalId, startsAt);
}

/**
 * The caller's upcoming appointments: those of the number they call from, and those that number
 * booked for someone else (a carer for a parent). Nobody else's.
 */
async function callerAppointments(s: VoiceSession): Promise<AppointmentRow[] | null> {
  return s.caller ? upcomingForHolder(s.deps, s.tenant, s.caller) : null;
}

async function serviceName(s: VoiceSession, id: string | null) {
  return (await activeServices(s)).find((x) => x.id === id)?.name ?? '';
}

/**
 * Appointments as short spoken items, each with its reference in brackets (the model passes it back
 * to cancel or move; it need not read it out). The professional is named when only one is listed;
 * the patient when the caller booked it for someone else.
 */
async function describe(s: VoiceSession, appointments: AppointmentRow[], withWho: boolean) {
  const zone = s.tenant.config.timezone;
  const services = new Map((await activeServices(s)).map((x) => [x.id, x.name]));
  const names = await professionalNames(s);
  const own = new Set(s.caller ? await s.deps.vault.lookupHashes(s.caller, s.tenant) : []);
  return appointments.map((x) => {
    const forWhom = own.has(x.patientPhoneHash) ? '' : say(s, 'forPatient')(x.patientName);
    const withWhom = withWho ? say(s, 'with')(names.get(x.professionalId) ?? '') : '';
    const item = say(s, 'appointmentItem')(
      services.get(x.serviceTypeId ?? '') ?? '',
      sayWhen(x.startsAt, zone, s.language),
      `${forWhom}${withWhom}`,
    );
    return `${item} [ref ${appointmentReference(x.id)}]`;
  });
}

/** The caller's appointments, the nearest first; `offset` skips those already heard. */
async function findTool(s: VoiceSession, a: ToolArgs<'find_appointments'>): Promise<ToolOutcome> {
  const mine = await callerAppointments(s);
  if (mine === null) return fail(say(s, 'needCallerId')());
  if (!mine.length) return { ok: true, text: say(s, 'noAppointments')() };
  const offset = a.offset ?? 0;
  const page = mine.slice(offset, offset + APPOINTMENTS_SAID);
  if (!page.length) return { ok: true, text: say(s, 'noMoreAppointments')() };
  const items = (await describe(s, page, mine.length === 1)).join('; ');
  const more = mine.length - offset - page.length;
  const text =
    offset > 0
      ? say(s, 'laterAppointments')(items)
      : mine.length === 1
        ? say(s, 'appointments')(items)
        : say(s, 'manyAppointments')(String(mine.length), items);
  return { ok: true, text: text + (more > 0 ? say(s, 'moreAppointments')(String(more)) : '') };
}

/** Which of the caller's appointments is meant: by reference, id, start time, or the only one. */
async function pickAppointment(
  s: VoiceSession,
  which: { reference: string | null; id: string | null; startsAt: string | null },
): Promise<{ appointment: AppointmentRow } | { outcome: ToolOutcome }> {
  const mine = await callerAppointments(s);
  if (mine === null) return { outcome: fail(say(s, 'needCallerId')()) };
  let candidates = mine;
  if (which.reference) {
    // Only among the caller's own: another caller's reference, or a wrong one, finds nothing.
    candidates = mine.filter((x) => hasReference(x.id, which.reference!));
    if (!candidates.length) return { outcome: fail(say(s, 'noSuchReference')()) };
  } else if (which.id) candidates = mine.filter((x) => x.id === which.id);
  else if (which.startsAt) {
    const at = resolveInstant(which.startsAt, s.tenant.config.timezone);
    candidates = mine.filter((x) => x.startsAt === at);
  }
  if (candidates.length === 1) return { appointment: candidates[0]! };
  if (!candidates.length) return { outcome: fail(say(s, 'noAppointments')()) };
  const items = await describe(s, candidates.slice(0, APPOINTMENTS_SAID), false);
  return { outcome: fail(say(s, 'whichAppointment')(String(candidates.length), items.join('; '))) };
}

async function cancelTool(
  s: VoiceSession,
  a: ToolArgs<'cancel_appointment'>,
  toolCallId?: string,
): Promise<ToolOutcome> {
  const cancelled = voiceAnswer(async ({ record }) =>
    say(s, 'cancelled')(
      await serviceName(s, record.serviceTypeId),
      sayWhen(record.startsAt, s.tenant.config.timezone, s.language),
    ),
  );
  const ctx = await voiceCommand(s, 'cancel_appointment', a, cancelled, toolCallId);
  // A retry is answered as the first call was, before looking the appointment up again: after the
  // cancel, the caller has no upcoming appointment to find.
  let result = await answeredBefore(ctx);
  if (!result) {
    const picked = await pickAppointment(s, {
      reference: a.reference,
      id: a.appointmentId,
      startsAt: a.startsAt,
    });
    if ('outcome' in picked) return picked.outcome;
    const { id } = picked.appointment;
    result = await attempt(() =>
      changeAppointment(ctx, id, { status: 'cancelled', cancellationReason: a.reason ?? undefined }),
    );
  }
  if ('done' in result) return told(result, 'booking_cancelled');
  return fail(say(s, result.refused === 'invalid_transition' ? 'cannotChange' : 'busy')());
}

async function rescheduleTool(
  s: VoiceSession,
  a: ToolArgs<'reschedule_appointment'>,
  toolCallId?: string,
): Promise<ToolOutcome> {
  const zone = s.tenant.config.timezone;
  const startsAt = resolveInstant(a.newStartsAt, zone);
  if (startsAt === null) return fail(say(s, 'badTime')());
  const named = await namedProfessional(s, a.professional);
  if ('outcome' in named) return named.outcome;
  const professionalId = named.id;
  const names = await professionalNames(s);
  const moved = voiceAnswer(async ({ record }) =>
    say(s, 'moved')(
      await serviceName(s, record.serviceTypeId),
      sayWhen(record.startsAt, zone, s.language),
      say(s, 'with')(names.get(record.professionalId) ?? ''),
    ),
  );
  const ctx = await voiceCommand(s, 'reschedule_appointment', a, moved, toolCallId);
  const previous = await answeredBefore(ctx);
  if (previous && 'done' in previous) return told(previous, 'booking_rescheduled');
  const picked = await pickAppointment(s, {
    reference: a.reference,
    id: a.appointmentId,
    startsAt: a.currentStartsAt,
  });
  if ('outcome' in picked) return picked.outcome;
  const { appointment } = picked;
  const result =
    previous ??
    (await attempt(() =>
      changeAppointment(ctx, appointment.id, { reschedule: { startsAt, professionalId } }),
    ));
  if ('done' in result) return told(result, 'booking_rescheduled');
  const service = (await activeServices(s)).find((x) => x.id === appointment.serviceTypeId);
  if (!service) return fail(say(s, 'busy')());
  return explainRefusal(s, result.refused, service, professionalId ?? appointment.professionalId, startsAt);
}

/** Runs a named tool with raw arguments (object or JSON string). Unknown tools and bad arguments answer, never throw. */
export async function runTool(
  s: VoiceSession,
  name: string,
  rawArgs: unknown,
  toolCallId?: string,
): Promise<ToolOutcome> {
  // A suspended clinic: whatever the tool, the caller hears that it cannot be served by phone.
  if (s.suspended) return { ok: false, text: say(s, 'suspended')(), refusal: 'tenant_inactive' };
  // Own keys only: "valueOf" or "constructor" are in every object, and are not tools.
  if (!isToolName(name)) return fail(`Unknown tool "${name}"`);
  const tool = name;
  const args = parseToolArgs(tool, rawArgs);
  if ('error' in args) return fail(`Invalid arguments: ${args.error}`);
  return runOne(s, tool, args, toolCallId);
}

function runOne<N extends ToolName>(s: VoiceSession, tool: N, args: ToolArgs<N>, toolCallId?: string) {
  const run: (s: VoiceSession, a: ToolArgs<N>, toolCallId?: string) => Promise<ToolOutcome> =
    TOOL_RUNNERS[tool];
  return run(s, args, toolCallId);
}

const TOOL_RUNNERS: {
  [N in ToolName]: (s: VoiceSession, a: ToolArgs<N>, toolCallId?: string) => Promise<ToolOutcome>;
} = {
  list_services: (s) => listServicesTool(s),
  check_availability: checkAvailabilityTool,
  book_appointment: bookTool,
  find_appointments: findTool,
  cancel_appointment: cancelTool,
  reschedule_appointment: rescheduleTool,
  // Services and prices are the list_services answer, whichever tool the model asked.
  clinic_info: (s, a) => (a.topic === 'services' ? listServicesTool(s) : clinicInfoTool(s, a)),
  take_message: takeMessageTool,
  transfer_to_human: (s) => transferTool(s),
  report_symptoms: reportSymptomsTool,
};
