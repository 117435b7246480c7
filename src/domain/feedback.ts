// A patient's rating of a visit: 1 to 5 stars and an optional comment. One rule for every door.
import { type FieldError, validationFailed } from './errors.js';
import { unsafeCharacter, unsafeTextMessage } from './text.js';

export const FEEDBACK_COMMENT_LENGTH = 1000;

export interface Feedback {
  rating: number;
  comment: string | null;
}

/** The rating and comment as kept, or validation_failed naming each field at fault. */
export function checkFeedback(given: { rating?: unknown; comment?: unknown }): Feedback {
  const errors: FieldError[] = [];
  const { rating } = given;
  if (typeof rating !== 'number' || !Number.isInteger(rating) || rating < 1 || rating > 5) {
    errors.push({ path: 'rating', message: 'A whole number from 1 to 5' });
  }
  let comment: string | null = null;
  if (given.comment !== undefined && given.comment !== null) {
    if (typeof given.comment !== 'string') errors.push({ path: 'comment', message: 'Text' });
    else {
      comment = given.comment.trim() || null;
      const bad = comment && unsafeCharacter(comment, true);
      if (comment && comment.length > FEEDBACK_COMMENT_LENGTH)
        errors.push({ path: 'comment', message: `At most ${FEEDBACK_COMMENT_LENGTH} characters` });
      else if (bad) errors.push({ path: 'comment', message: unsafeTextMessage(bad) });
    }
  }
  if (errors.length) throw validationFailed('The feedback is not valid', errors);
  return { rating: rating as number, comment };
}
