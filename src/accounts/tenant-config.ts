// The clinic's settings (Tenant.config): voice, greeting, time zone and the booking rules.
import { z } from '@hono/zod-openapi';
import { keptUpTo } from '../domain/kept.js';
import { defaultLanguageTag } from '../domain/language.js';
import { isTimeZone } from '../domain/time.js';

export const timeZoneSchema = z
  .string()
  .refine(isTimeZone, { message: 'Must be an IANA time zone such as Europe/Lisbon' })
  .openapi({ example: 'Europe/Lisbon' });

export const tenantConfigSchema = z
  .object({
    timezone: timeZoneSchema,
    voice: z.string().max(100).nullable().default(null).openapi({ example: 'AWS.Polly.Ines-Neural' }),
    voiceSpeed: z.number().min(0.5).max(2).default(1),
    greeting: z.string().max(1000).nullable().default(null),
    language: z
      .string()
      .max(10)
      .default('pt-PT')
      .openapi({
        description:
          'BCP 47 tag for what the agent and the booking page speak: pt-PT, pt-BR, en or es (others read as en). ' +
          "A new clinic gets its country's (BR: pt-BR, PT: pt-PT, Spanish-speaking countries: es, else en)",
      }),
    fallbackHumanNumber: z.string().max(20).nullable().default(null).openapi({
      description:
        'E.164 number the voice agent transfers a caller to (transfer_to_human), during opening hours',
      example: '+351210000001',
    }),
    emergencySymptoms: z
      .array(z.string().min(2).max(100))
      .max(200)
      .nullable()
      .default(null)
      .openapi({
        description:
          'Red-flag symptoms: a caller mentioning one is told to call the emergency number and nothing is booked. null: a default list in pt-PT, pt-BR, en and es',
        example: ['dor no peito', 'falta de ar'],
      }),
    minimumNoticeMinutes: z
      .number()
      .int()
      .min(0)
      .max(60 * 24 * 30)
      .default(60)
      .openapi({ description: 'Voice and self-service bookings must start at least this far ahead' }),
    bookingHorizonDays: z
      .number()
      .int()
      .min(1)
      .max(730)
      .default(90)
      .openapi({ description: 'Voice and self-service bookings may start at most this far ahead' }),
    slotStepMinutes: z
      .number()
      .int()
      .min(5)
      .max(240)
      .default(15)
      .openapi({ description: 'Spacing of offered start times' }),
    selfServiceUpcomingPerPhone: z.number().int().min(1).max(50).default(2).openapi({
      description:
        'At most this many upcoming online (booking page) appointments per patient phone; staff and the voice agent may book more',
    }),
    noShowGraceMinutes: z
      .number()
      .int()
      .min(0)
      .max(60 * 24 * 7)
      .default(30)
      .openapi({ description: 'After endsAt plus this, an unattended appointment becomes no_show' }),
    callRetentionDays: z.number().int().min(1).max(3650).default(90).openapi({
      description:
        "Calls' transcripts, tool inputs and events, and the caller's sealed number, are deleted this many days after the call; the call row stays for statistics",
    }),
    appointmentAnonymiseAfterDays: z.number().int().min(1).max(36500).nullable().default(null).openapi({
      description:
        "Appointments' personal fields (name, phone, notes, metadata) are anonymised this many days after the appointment ends; null (the default) keeps them, as the clinic's records law decides",
    }),
    auditRetentionDays: z.number().int().min(30).max(3650).default(365).openapi({
      description: 'Audit events (who read, exported or erased personal data) are kept this many days',
    }),
  })
  .openapi('TenantConfig');

export type TenantConfig = z.infer<typeof tenantConfigSchema>;

type Patch<S extends z.ZodRawShape> = {
  [K in keyof S]: z.ZodOptional<S[K] extends z.ZodDefault<infer T> ? T : S[K]>;
};

/**
 * A change of settings: any subset of the fields, where an absent field stays as it is. Not
 * `tenantConfigSchema.partial()`: zod 4 fills an absent field that has a default with that default,
 * so changing one setting would reset every other (a Brazilian clinic's language to pt-PT).
 */
export const tenantConfigPatchSchema = z
  .object(
    Object.fromEntries(
      Object.entries(tenantConfigSchema.shape).map(([key, field]) => [
        key,
        (field instanceof z.ZodDefault ? field.unwrap() : field).optional(),
      ]),
    ) as Patch<typeof tenantConfigSchema.shape>,
  )
  .strict();

/** A new clinic's settings: defaults, with the language of its country. */
export const defaultTenantConfig = (timezone: string, country: string): TenantConfig =>
  tenantConfigSchema.parse({ timezone, language: defaultLanguageTag(country) });

// Every request reads its clinic's settings; parsing (and validating the time zone) each time cost
// ~50 µs. Settings change rarely, so the parsed value is kept per stored JSON text, frozen.
const parsed = keptUpTo<string, Readonly<TenantConfig>>(1000);

/** Stored JSON → settings; fields added in later releases take their defaults. */
export const readTenantConfig = (json: string): Readonly<TenantConfig> =>
  parsed(json, () => Object.freeze(tenantConfigSchema.parse(JSON.parse(json))));
