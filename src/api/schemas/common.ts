// Shapes every route shares: the error envelope, documented error responses, pagination.
import { z } from '@hono/zod-openapi';
import { ERROR_CODES } from '../../domain/errors.js';
import { unsafeCharacter, unsafeTextMessage } from '../../domain/text.js';
import { type ErrorStatus, statusOf } from '../../http/errors.js';

export const ErrorSchema = z
  .object({
    error: z.enum(ERROR_CODES).openapi({
      example: 'validation_failed',
      description: 'Stable machine-readable code; each error response lists the ones it can carry',
    }),
    message: z.string().openapi({ example: 'patientPhone: Not a valid phone number' }),
    requestId: z.string().openapi({ example: '5b0d7f4e-8a43-4c2e-9d0f-3f6a1d2b9c11' }),
    errors: z.array(z.object({ path: z.string(), message: z.string() })),
    retryAfter: z.number().int().optional().openapi({
      description: 'Seconds to wait before retrying, when waiting can help (as the Retry-After header)',
      example: 12,
    }),
  })
  .openapi('Error');

const errorSummaries = {
  400: 'The request cannot be read (broken HTTP, invalid JSON, bad Idempotency-Key header)',
  401: 'No valid API key',
  403: 'The key may not do this',
  404: 'Resource not found (or owned by another clinic)',
  409: 'State conflict',
  410: 'Gone: the link expired',
  413: 'Body larger than 64 KiB',
  415: 'Body is not application/json',
  422: 'Unprocessable request (validation_failed lists the fields in errors[])',
  429: 'Rate limit exceeded; wait Retry-After seconds',
  500: 'Unexpected error; quote the requestId',
  502: 'The voice platform refused or failed the request; the message says why',
} as const satisfies Partial<Record<ErrorStatus, string>>;

/** "Summary: `code_a`, `code_b`": the codes come from the one code → status map, so they cannot drift. */
const errorDescriptions = Object.fromEntries(
  Object.entries(errorSummaries).map(([status, summary]) => {
    const codes = ERROR_CODES.filter((code) => String(statusOf(code)) === status);
    return [status, `${summary}: ${codes.map((code) => `\`${code}\``).join(', ')}`];
  }),
) as Record<keyof typeof errorSummaries, string>;

type ErrorStatusCode = keyof typeof errorSummaries;

const errorResponse = (status: ErrorStatusCode) => ({
  description: errorDescriptions[status],
  content: { 'application/json': { schema: ErrorSchema } },
});

/** Error responses of an authenticated route, plus the extra ones it can produce. */
export function errorResponses<const S extends ErrorStatusCode>(...extra: S[]) {
  const statuses = [...new Set([401, 403, 429, 500, ...extra] as ErrorStatusCode[])];
  return Object.fromEntries(statuses.map((s) => [s, errorResponse(s)])) as Record<
    401 | 403 | 429 | 500 | S,
    ReturnType<typeof errorResponse>
  >;
}

/** Error responses of a write route with a JSON body. */
export const writeErrorResponses = <const S extends ErrorStatusCode>(...extra: S[]) =>
  errorResponses<400 | 413 | 415 | 422 | S>(400, 413, 415, 422, ...extra);

/** A list answer: `{items: [...]}`. */
export const listOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});

export { IdParam } from '../../http/path-params.js';

export const IdempotencyHeader = z.object({
  'idempotency-key': z
    .string()
    .optional()
    .openapi({
      param: { name: 'idempotency-key', in: 'header' },
      description:
        'Retry-safe identifier (1–255 visible ASCII characters), scoped to your clinic and kept 24 hours. ' +
        'A retry with the same key and body replays the first answer with `Idempotent-Replayed: true`; ' +
        'the same key with another body is 422 idempotency_key_reused.',
      example: 'pms-create-12345',
    }),
});

export const timestamp = (example = '2026-05-14T10:00:00+01:00') =>
  z.string().openapi({ format: 'date-time', example });

export const limitParam = z.coerce
  .number()
  .int()
  .min(1)
  .max(200)
  .default(50)
  .openapi({ description: 'Page size (default 50, max 200)' });

export const cursorParam = z
  .string()
  .max(500)
  .optional()
  .openapi({ description: 'Opaque cursor from nextCursor' });

export const externalIdSchema = z
  .string()
  .min(1)
  .max(200)
  .nullable()
  .openapi({ description: 'Your own id for this record (e.g. the PMS id); unique per clinic' });

/**
 * Free text a person typed (names, notes, reasons, titles): trimmed, bounded, and refused with 422
 * when it holds control, bidi-override or invisible characters (the rule is src/domain/text.ts).
 * `multiline` admits tab and line breaks (notes); `min` defaults to 1; `trim: false` keeps spaces.
 */
export const text = (max: number, options: { min?: number; multiline?: boolean; trim?: boolean } = {}) => {
  const base = options.trim === false ? z.string() : z.string().trim();
  return base
    .min(options.min ?? 1)
    .max(max)
    .superRefine((value, ctx) => {
      const character = unsafeCharacter(value, options.multiline);
      if (character) ctx.addIssue({ code: 'custom', message: unsafeTextMessage(character) });
    });
};

/**
 * Metadata, as Stripe bounds it: a flat map of at most 50 keys (1–40 characters) to scalars, strings
 * at most 500 characters. Flat means nothing nested to walk, size or overflow; null removes a key on
 * a change.
 */
export const METADATA_LIMITS = { keys: 50, keyLength: 40, valueLength: 500 } as const;

export const metadataSchema = z
  .record(
    text(METADATA_LIMITS.keyLength, { trim: false }),
    z.union([
      text(METADATA_LIMITS.valueLength, { min: 0, trim: false, multiline: true }),
      z.number(),
      z.boolean(),
      z.null(),
    ]),
  )
  .refine((m) => Object.keys(m).length <= METADATA_LIMITS.keys, `At most ${METADATA_LIMITS.keys} keys`)
  .openapi({
    description:
      'Your own data, returned with the appointment (e.g. PMS ids): a flat object of at most 50 keys ' +
      '(1–40 characters) whose values are strings (at most 500 characters), numbers, booleans or null',
    example: { pmsId: 'A-1042', firstVisit: true },
  });
