// Triage questions per service, a patient's answers and a visit's feedback, as the API shows them.
import { z } from '@hono/zod-openapi';
import { FEEDBACK_COMMENT_LENGTH } from '../../domain/feedback.js';
import { TRIAGE_LIMITS, TRIAGE_QUESTION_TYPES } from '../../domain/triage.js';
import { text } from './common.js';

const QuestionSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9_-]+$/, 'Lowercase letters, digits, _ and -')
      .min(1)
      .max(TRIAGE_LIMITS.idLength)
      .openapi({ description: 'Stable within the service: answers are keyed by it', example: 'allergies' }),
    type: z.enum(TRIAGE_QUESTION_TYPES).openapi({
      description: 'text: free text; yes_no: yes or no; choice: one of `options`',
    }),
    label: text(TRIAGE_LIMITS.labelLength).openapi({
      description: 'The question as the patient reads it, in your language',
      example: 'Tem alguma alergia a medicamentos?',
    }),
    required: z.boolean().default(true),
    options: z
      .array(text(TRIAGE_LIMITS.optionLength))
      .min(2)
      .max(TRIAGE_LIMITS.options)
      .optional()
      .openapi({ description: 'For `choice` only: 2 to 10 distinct options' }),
  })
  .strict()
  .superRefine((q, ctx) => {
    if (q.type === 'choice' && !q.options) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'A choice question needs its options' });
    }
    if (q.type !== 'choice' && q.options) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'Only a choice question has options' });
    }
    if (q.options && new Set(q.options).size !== q.options.length) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'Options must differ' });
    }
  })
  .openapi('TriageQuestion');

export const ServiceTriageSchema = z
  .object({
    sendOnBooking: z.boolean().default(false).openapi({
      description:
        'Every booking of this service queues the triage link to the patient (when the clinic sends messages)',
    }),
    questions: z
      .array(QuestionSchema)
      .max(TRIAGE_LIMITS.questions)
      .openapi({ description: `At most ${TRIAGE_LIMITS.questions}; an empty list removes the triage` }),
  })
  .strict()
  .superRefine((t, ctx) => {
    const ids = t.questions.map((q) => q.id);
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i)
        ctx.addIssue({ code: 'custom', path: ['questions', i, 'id'], message: 'Ids must differ' });
    });
  })
  .openapi('ServiceTriage');

const AnswerSchema = z
  .object({
    id: z.string(),
    label: z.string().openapi({ description: 'The question as it was asked' }),
    type: z.enum(TRIAGE_QUESTION_TYPES),
    answer: z
      .union([z.string(), z.boolean()])
      .nullable()
      .openapi({ description: 'text and choice: the text; yes_no: true or false; null: skipped (optional)' }),
  })
  .openapi('TriageAnswer');

export const TriageSchema = z
  .object({
    appointmentId: z.string(),
    status: z.enum(['pending', 'completed']).openapi({ description: 'completed once the patient answered' }),
    submittedAt: z.string().nullable(),
    answers: z.array(AnswerSchema),
  })
  .openapi('Triage');

export const FeedbackSchema = z
  .object({
    appointmentId: z.string(),
    status: z.enum(['pending', 'received']),
    rating: z.number().int().min(1).max(5).nullable(),
    comment: z.string().max(FEEDBACK_COMMENT_LENGTH).nullable(),
    submittedAt: z.string().nullable(),
  })
  .openapi('Feedback');
