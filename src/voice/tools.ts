// The one tool catalogue every voice platform gets, defined once with zod. Parameters are nullable
// rather than optional so the same schemas work in OpenAI's strict mode; a missing key means null.
import { z } from 'zod';
import { jsonTextDepth, MAX_JSON_DEPTH, nestsDeeperThan } from '../domain/json-depth.js';
import { unsafeCharacter, unsafeTextMessage } from '../domain/text.js';

// Every answer is one short sentence (at most SPOKEN_BUDGET characters, src/voice/speech.ts); lists
// name the nearest few and say how many more. Appointments come with a reference in brackets, e.g.
// "[ref 1A2B3C4D]", that cancel and reschedule take back.
const reference = z
  .string()
  .nullable()
  .describe('The appointment\'s reference, the code in brackets "[ref …]" that find_appointments gave');

const when = (what: string) =>
  z
    .string()
    .nullable()
    .describe(
      `${what}: local date-time "YYYY-MM-DDTHH:MM" in the clinic's time zone, or ISO 8601 with offset`,
    );

export const TOOLS = {
  list_services: {
    description: 'List the services (appointment types) the clinic offers, with duration and price.',
    parameters: z.object({}),
  },
  check_availability: {
    description:
      'Find free appointment times for a service. Give a day, or a range, or nothing for the nearest times. ' +
      'Returns a few nearest options in one sentence.',
    parameters: z.object({
      service: z.string().describe('Service name (as the caller said it) or id'),
      professional: z.string().nullable().describe('Professional name or id, if the caller asked for one'),
      date: z.string().nullable().describe('Local day "YYYY-MM-DD", if the caller named one'),
      from: when('Start of a range'),
      to: when('End of a range'),
      partOfDay: z
        .enum(['morning', 'afternoon', 'evening'])
        .nullable()
        .describe('Morning (<12h), afternoon (12–18h) or evening'),
    }),
  },
  book_appointment: {
    description:
      'Book an appointment at a time that check_availability offered. The phone defaults to the caller ID; ' +
      'ask for a number only if the tool says it needs one. When the caller books for someone else (a ' +
      "parent, a child), give that patient's name and, if they have one, their own number: the caller can " +
      'still find, cancel or move the appointment from the number they call from.',
    parameters: z.object({
      service: z.string().describe('Service name or id'),
      startsAt: z.string().describe('Local date-time "YYYY-MM-DDTHH:MM", or ISO 8601 with offset'),
      professional: z.string().nullable().describe('Professional name or id, if any'),
      patientName: z.string().describe("The patient's full name"),
      patientPhone: z
        .string()
        .nullable()
        .describe(
          "The patient's number if it is not the caller's (booking for someone else), or caller ID is withheld",
        ),
      notes: z.string().nullable().describe('Reason for the visit or anything the clinic should know'),
    }),
  },
  find_appointments: {
    description:
      "The caller's upcoming appointments (the number they call from: its own and those it booked for " +
      'someone else), nearest first, a couple at a time, each with a reference in brackets "[ref …]" to ' +
      'pass to cancel_appointment or reschedule_appointment. Do not read references out unless asked. ' +
      'When it says there are more and the caller wants them, call again with offset.',
    parameters: z.object({
      offset: z
        .number()
        .int()
        .min(0)
        .max(1000)
        .nullable()
        .describe('How many appointments the caller has already heard, to hear the next ones'),
    }),
  },
  cancel_appointment: {
    description:
      "Cancel one of the caller's appointments. Identify it by its reference from find_appointments " +
      '(preferred), or by its current start time.',
    parameters: z.object({
      reference,
      appointmentId: z.string().nullable().describe("The appointment's id, if a system gave it"),
      startsAt: when('Its current start'),
      reason: z.string().nullable().describe('Why, if the caller said'),
    }),
  },
  reschedule_appointment: {
    description:
      "Move one of the caller's appointments to a new time (check availability first). Identify it by its " +
      'reference from find_appointments (preferred), or by its current start time.',
    parameters: z.object({
      reference,
      appointmentId: z.string().nullable().describe("The appointment's id, if a system gave it"),
      currentStartsAt: when('Its current start'),
      newStartsAt: z.string().describe('New local date-time "YYYY-MM-DDTHH:MM", or ISO 8601 with offset'),
      professional: z.string().nullable().describe('Another professional, if the caller asked'),
    }),
  },
  // The front desk around the booking (src/voice/front-desk/).
  clinic_info: {
    description:
      "The clinic's address, opening hours today and this week, and services with duration and price. " +
      'Pass a topic when the caller asked one thing.',
    parameters: z.object({
      topic: z
        .enum(['address', 'hours', 'services'])
        .nullable()
        .describe('address, hours or services; null for all three'),
    }),
  },
  take_message: {
    description:
      'Take a message or callback request for the clinic staff when the call cannot end in a booking. ' +
      'The callback number defaults to the caller ID.',
    parameters: z.object({
      callerName: z.string().describe("The caller's name"),
      reason: z.string().describe('What the message is about, in the caller’s words'),
      urgency: z.enum(['normal', 'urgent']).nullable().describe('urgent if the caller needs an answer today'),
      callbackPhone: z
        .string()
        .nullable()
        .describe('Only if the caller gave another number, or caller ID is withheld'),
    }),
  },
  transfer_to_human: {
    description:
      'Pass the call to a person at the reception, when the caller asks for one or you cannot help. ' +
      'Outside opening hours it says when the clinic opens; then offer take_message.',
    parameters: z.object({
      reason: z.string().nullable().describe('Why the caller wants a person, if they said'),
    }),
  },
  report_symptoms: {
    description:
      'Call this as soon as the caller describes symptoms or why they need care, before booking. ' +
      'If it says this may be an emergency, repeat its advice and do not book.',
    parameters: z.object({
      symptoms: z.string().describe('The symptoms in the caller’s words'),
    }),
  },
} as const;

export type ToolName = keyof typeof TOOLS;
export type ToolArgs<N extends ToolName> = z.infer<(typeof TOOLS)[N]['parameters']>;

export const isToolName = (name: string): name is ToolName => Object.hasOwn(TOOLS, name);

/** Parses a tool's arguments (object or JSON string, as platforms send both); missing keys are null. */
export function parseToolArgs<N extends ToolName>(name: N, raw: unknown): ToolArgs<N> | { error: string } {
  let value = raw;
  if (typeof raw === 'string') {
    if (jsonTextDepth(raw) > MAX_JSON_DEPTH) return { error: 'Arguments are nested too deeply' };
    try {
      value = raw.trim() ? JSON.parse(raw) : {};
    } catch {
      return { error: 'Arguments are not valid JSON' };
    }
  }
  if (value === null || value === undefined) value = {};
  if (typeof value !== 'object' || Array.isArray(value)) return { error: 'Arguments must be an object' };
  if (nestsDeeperThan(value)) return { error: 'Arguments are nested too deeply' };
  // The free-text rule of every door (src/domain/text.ts); notes and reasons may span lines.
  for (const [key, said] of Object.entries(value as object)) {
    const character =
      typeof said === 'string'
        ? unsafeCharacter(said, key === 'notes' || key === 'reason' || key === 'symptoms')
        : null;
    if (character) return { error: `${key}: ${unsafeTextMessage(character)}` };
  }
  const schema = TOOLS[name].parameters as z.ZodObject;
  const filled = {
    ...Object.fromEntries(Object.keys(schema.shape).map((k) => [k, null])),
    ...(value as object),
  };
  const parsed = schema.safeParse(filled);
  if (!parsed.success) {
    return {
      error: parsed.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; '),
    };
  }
  return parsed.data as ToolArgs<N>;
}
