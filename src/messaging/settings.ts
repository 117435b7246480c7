// A clinic's message settings: off until the clinic turns them on; which doors' bookings get a
// confirmation, which notices go, when the reminder goes, quiet hours, language and its templates.
// Stored as JSON (messaging_settings.settings): the enqueue statements read the few fields they need
// with json_extract inside the change's own atomic unit (src/db/messages.ts).
import { z } from '@hono/zod-openapi';
import {
  MAX_REMINDER_HOURS,
  MESSAGE_CHANNELS,
  MESSAGE_KINDS,
  MESSAGE_LANGUAGES,
  type MessageKind,
  type MessageLanguage,
} from '../domain/message-vocabulary.js';
import { APPOINTMENT_SOURCES } from '../domain/source.js';
import { DEFAULT_TEMPLATES, estimateSegments, PLACEHOLDERS, unknownPlaceholders } from './templates.js';

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use HH:MM (24 h)');

const templateText = z.string().min(1).max(1000);
const languageTemplates = z
  .object(Object.fromEntries(MESSAGE_LANGUAGES.map((l) => [l, templateText.optional()])))
  .strict();

export const messagingSettingsSchema = z
  .object({
    enabled: z.boolean().default(false).openapi({ description: 'Nothing is queued while false' }),
    channel: z.enum(MESSAGE_CHANNELS).default('sms').openapi({
      description: 'Which of the clinic senders (PUT /v1/messaging/senders/{channel}) carries messages',
    }),
    language: z.enum(MESSAGE_LANGUAGES).nullable().default(null).openapi({
      description: "Templates' language; null follows the clinic's language (pt → pt-PT, else en)",
    }),
    confirmationSources: z
      .array(z.enum(APPOINTMENT_SOURCES))
      .max(APPOINTMENT_SOURCES.length)
      .default(['voice_ai', 'self_service'])
      .openapi({ description: 'Bookings through these doors get a confirmation message' }),
    cancellationNotice: z.boolean().default(true),
    rescheduleNotice: z.boolean().default(true),
    feedbackAfterAttended: z.boolean().default(false).openapi({
      description: 'When a visit is marked attended, the patient gets a link to rate it (1–5 and a comment)',
    }),
    reminderHours: z.number().int().min(0).max(MAX_REMINDER_HOURS).default(24).openapi({
      description: 'A reminder goes this many hours before the appointment; 0 sends none',
    }),
    quietHours: z
      .object({ start: HHMM, end: HHMM })
      .strict()
      .nullable()
      .default({ start: '21:00', end: '09:00' })
      .openapi({
        description:
          'Clinic-local window in which no reminder goes out, and notices of changes made in it wait for its end (a booking the patient made at that moment is confirmed at once); null for none',
      }),
    dailyCapPerPatient: z.number().int().min(1).max(50).default(5).openapi({
      description:
        "At most this many messages to one patient's number on the clinic's day; the rest are recorded as skipped, never sent",
    }),
    maxSegments: z.number().int().min(1).max(6).default(3).openapi({
      description: 'Templates must fit in this many SMS segments with placeholders at typical lengths',
    }),
    templates: z
      .object(Object.fromEntries(MESSAGE_KINDS.map((k) => [k, languageTemplates.optional()])))
      .strict()
      .default({})
      .openapi({
        description: `Replacements for the default templates, by kind and language. Placeholders: ${PLACEHOLDERS.map((p) => `{${p}}`).join(' ')}`,
      }),
  })
  .strict()
  .superRefine((settings, ctx) => {
    for (const [kind, byLanguage] of Object.entries(settings.templates)) {
      for (const [language, text] of Object.entries(byLanguage ?? {})) {
        if (text === undefined) continue;
        const path = ['templates', kind, language];
        const unknown = unknownPlaceholders(text);
        if (unknown.length) {
          ctx.addIssue({ code: 'custom', path, message: `Unknown placeholders: ${unknown.join(', ')}` });
          continue;
        }
        if ((kind === 'triage' || kind === 'feedback') && !text.includes('{link}')) {
          ctx.addIssue({ code: 'custom', path, message: 'This message is its link: keep {link} in it' });
          continue;
        }
        const { segments, encoding } = estimateSegments(text);
        if (segments > settings.maxSegments) {
          ctx.addIssue({
            code: 'custom',
            path,
            message: `Takes ${segments} ${encoding} segments with typical values; the limit is ${settings.maxSegments}`,
          });
        }
      }
    }
  })
  .openapi('MessagingSettings');

export type MessagingSettings = z.infer<typeof messagingSettingsSchema>;

export const defaultMessagingSettings = (): MessagingSettings => messagingSettingsSchema.parse({});

/** The clinic's template for a kind and language, or the default one. */
export const templateFor = (settings: MessagingSettings, kind: MessageKind, language: MessageLanguage) =>
  settings.templates[kind]?.[language] ?? DEFAULT_TEMPLATES[kind][language];
