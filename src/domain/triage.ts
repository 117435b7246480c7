// Triage questions a clinic asks before a service, and the rule that a patient's answers fit them.
// Pure: the REST door validates the questions' shape with these bounds, the triage page's answers
// are checked here, and both doors share the limits so an SMS-sized form stays small.
import { type FieldError, validationFailed } from './errors.js';
import { unsafeCharacter, unsafeTextMessage } from './text.js';

export const TRIAGE_QUESTION_TYPES = ['text', 'yes_no', 'choice'] as const;
export type TriageQuestionType = (typeof TRIAGE_QUESTION_TYPES)[number];

/** Bounds: a phone-sized form, and answers small enough to keep and send in a webhook. */
export const TRIAGE_LIMITS = {
  questions: 20,
  idLength: 40,
  labelLength: 300,
  options: 10,
  optionLength: 100,
  textAnswerLength: 1000,
} as const;

export interface TriageQuestion {
  /** Stable within the service: answers are keyed by it. */
  id: string;
  type: TriageQuestionType;
  label: string;
  required: boolean;
  /** For `choice` only: what the patient picks from. */
  options?: string[];
}

/** One answered question, kept with the question as it was asked. */
export interface TriageAnswer {
  id: string;
  label: string;
  type: TriageQuestionType;
  /** text and choice: the text; yes_no: true or false; null when an optional question was skipped. */
  answer: string | boolean | null;
}

/**
 * The patient's answers checked against the questions: every required one answered, each answer of
 * its question's type (yes/no a boolean, a choice one of the options, text within its length), no
 * answer to a question not asked. Throws validation_failed naming each field at fault.
 */
export function checkTriageAnswers(
  questions: TriageQuestion[],
  given: Record<string, unknown>,
): TriageAnswer[] {
  const errors: FieldError[] = [];
  const asked = new Set(questions.map((q) => q.id));
  for (const id of Object.keys(given)) {
    if (!asked.has(id)) errors.push({ path: `answers.${id}`, message: 'No such question' });
  }
  const answers = questions.map((q): TriageAnswer => {
    const path = `answers.${q.id}`;
    // Own keys only: an id such as `constructor` must not read the object's prototype.
    let value = Object.hasOwn(given, q.id) ? given[q.id] : undefined;
    if (typeof value === 'string') value = value.trim();
    if (value === undefined || value === null || value === '') {
      if (q.required) errors.push({ path, message: 'This question needs an answer' });
      return { id: q.id, label: q.label, type: q.type, answer: null };
    }
    if (q.type === 'yes_no' && typeof value !== 'boolean') {
      errors.push({ path, message: 'Answer yes (true) or no (false)' });
    } else if (q.type === 'choice' && !(typeof value === 'string' && q.options?.includes(value))) {
      errors.push({ path, message: 'Pick one of the options' });
    } else if (q.type === 'text') {
      if (typeof value !== 'string') errors.push({ path, message: 'Answer with text' });
      else if (value.length > TRIAGE_LIMITS.textAnswerLength)
        errors.push({ path, message: `At most ${TRIAGE_LIMITS.textAnswerLength} characters` });
      else {
        const bad = unsafeCharacter(value, true);
        if (bad) errors.push({ path, message: unsafeTextMessage(bad) });
      }
    }
    return { id: q.id, label: q.label, type: q.type, answer: value as string | boolean };
  });
  if (errors.length) throw validationFailed('The answers do not fit the questions', errors);
  return answers;
}
