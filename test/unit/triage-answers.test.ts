// A patient's triage answers, checked against the clinic's questions (src/domain/triage.ts).
import { describe, expect, it } from 'vitest';
import { checkTriageAnswers, type TriageQuestion } from '../../src/domain/triage.js';

const question = (id: string, required: boolean): TriageQuestion => ({
  id,
  label: `Question ${id}`,
  type: 'text',
  required,
});

describe('checkTriageAnswers', () => {
  it("reads only the patient's own answers: ids that name an object's built-ins are plain ids", () => {
    const questions = [question('constructor', false), question('toString', false)];
    expect(checkTriageAnswers(questions, {})).toEqual([
      { id: 'constructor', label: 'Question constructor', type: 'text', answer: null },
      { id: 'toString', label: 'Question toString', type: 'text', answer: null },
    ]);
    expect(() => checkTriageAnswers([question('constructor', true)], {})).toThrow();
    expect(checkTriageAnswers([question('constructor', true)], { constructor: 'Sim' })[0]!.answer).toBe(
      'Sim',
    );
  });
});
