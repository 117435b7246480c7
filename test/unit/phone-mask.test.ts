// Numbers said in a call are masked in what is logged; text without digits is only normalised.
import { describe, expect, it } from 'vitest';
import { maskPhonesInText } from '../../src/domain/phone-mask.js';

describe('maskPhonesInText', () => {
  it('masks numbers in their national and international forms, keeping the last two digits', () => {
    expect(maskPhonesInText('ligue para 912 345 678 amanhã', 'PT')).toBe('ligue para •••••••78 amanhã');
    expect(maskPhonesInText('my number is +44 20 7946 0958', 'GB')).toBe('my number is ••••••••••58');
    expect(maskPhonesInText('916,543,217', 'PT')).toBe('•••••••17');
  });

  it('finds numbers written in full-width and Arabic-Indic digits', () => {
    expect(maskPhonesInText('９１２３４５６７８', 'PT')).toBe('•••••••78');
    expect(maskPhonesInText('رقمي ٩١٢٣٤٥٦٧٨', 'PT')).toBe('رقمي •••••••٧٨');
  });

  it('keeps times, dates and prices, and returns text without digits normalised as it is', () => {
    expect(maskPhonesInText('às 10:30 de 2026-05-14, custa 123456 €', 'PT')).toBe(
      'às 10:30 de 2026-05-14, custa 123456 €',
    );
    expect(maskPhonesInText('ｃｏｎｓｕｌｔａ de manhã', 'PT')).toBe('consulta de manhã');
    expect(maskPhonesInText('', 'PT')).toBe('');
  });

  it('keeps a value that is an ISO date, time or date-time, whatever number its digits spell', () => {
    // 20260303 is a valid Danish number: the finder alone masked the date.
    for (const value of [
      '2026-03-03',
      '2026-03-03T10:00',
      '2026-03-03T10:00:00.000Z',
      '2026-03-03 10:00+01:00',
      '10:00',
    ]) {
      expect(maskPhonesInText(value, 'DK')).toBe(value);
    }
    // The same digits said as a number are still masked.
    expect(maskPhonesInText('ligue 20 26 03 03', 'DK')).toBe('ligue ••••••03');
  });
});
