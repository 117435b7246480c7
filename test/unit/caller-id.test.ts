import { describe, expect, it } from 'vitest';
import { callerNumber } from '../../src/voice/caller-id.js';

describe('callerNumber', () => {
  it.each([
    ['+351912345678', '+351912345678'],
    ['912 345 678', '+351912345678'],
    ['"Maria" <sip:+351912345678@pbx.example;user=phone>;tag=abc', '+351912345678'],
    ['sip:%2B351912345678@pbx.example', '+351912345678'],
    ['tel:+351912345678', '+351912345678'],
  ])('reads %s', (raw, e164) => {
    expect(callerNumber(raw, 'PT')).toBe(e164);
  });

  it.each([
    null,
    undefined,
    '',
    'anonymous',
    'RESTRICTED',
    '+266696687',
    '+7378742833',
    "%' UNION SELECT 1 --",
    '%E0%A4%A',
    42,
    {},
  ])('treats %j as no caller ID, without throwing', (raw) => {
    expect(callerNumber(raw, 'PT')).toBeNull();
  });

  it('reads the same national digits by each clinic country, however often asked (answers are kept)', () => {
    for (let i = 0; i < 3; i++) {
      expect(callerNumber('912 345 678', 'PT')).toBe('+351912345678');
      expect(callerNumber('912 345 678', 'ES')).toBe('+34912345678');
      expect(callerNumber('912 345 678', 'US')).toBeNull();
      expect(callerNumber(' 912 345 678 ', 'PT')).toBe('+351912345678');
    }
  });
});
