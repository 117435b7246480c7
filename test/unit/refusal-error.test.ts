// Refusals decided inside a write are values, not throws: built without a stack (src/domain/errors.ts).
import { describe, expect, it } from 'vitest';
import { slotTaken, upcomingCapReached } from '../../src/booking/rules.js';
import { AppError, refusalError } from '../../src/domain/errors.js';

describe('refusalError', () => {
  it('is an AppError with its code, message and fields, and no stack frames', () => {
    const error = refusalError('booking_limit_reached', 'Too many', [{ path: 'patientPhone', message: 'x' }]);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toBeInstanceOf(Error);
    expect([error.code, error.message, error.errors]).toStrictEqual([
      'booking_limit_reached',
      'Too many',
      [{ path: 'patientPhone', message: 'x' }],
    ]);
    expect(error.stack ?? '').not.toMatch(/\n\s+at /);
    for (const refusal of [slotTaken(), upcomingCapReached(3)])
      expect(refusal.stack ?? '').not.toMatch(/\n\s+at /);
  });

  it('leaves the stack depth of every other error as it was', () => {
    const before = Error.stackTraceLimit;
    refusalError('slot_conflict', 'taken');
    expect(Error.stackTraceLimit).toBe(before);
    expect(new AppError('slot_conflict', 'thrown').stack).toMatch(/\n\s+at /);
  });
});
