// Spoken days are kept per local date and language: whatever was said before, the day said for an
// instant is the one luxon formats for it in the clinic's zone (midnights, DST changes, odd offsets).
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { LOCALE } from '../../src/domain/language.js';
import { type Language, sayDay } from '../../src/voice/speech.js';

const ZONES = [
  'Europe/Lisbon',
  'America/Sao_Paulo',
  'America/St_Johns',
  'Asia/Kathmandu',
  'Pacific/Chatham',
  'UTC',
];
const LANGUAGES: Language[] = ['pt', 'pt-BR', 'en', 'es'];
const FORMAT: Record<Language, string> = {
  pt: "cccc, d 'de' MMMM",
  'pt-BR': "cccc, d 'de' MMMM",
  en: 'cccc d MMMM',
  es: "cccc, d 'de' MMMM",
};
const luxonDay = (ms: number, zone: string, lang: Language) =>
  DateTime.fromMillis(ms, { zone }).setLocale(LOCALE[lang]).toFormat(FORMAT[lang]);

describe('sayDay', () => {
  it('says the local day of the instant in the clinic zone, as luxon formats it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('2020-01-01T00:00:00Z'), max: Date.parse('2032-01-01T00:00:00Z') }),
        fc.constantFrom(...ZONES),
        fc.constantFrom(...LANGUAGES),
        (ms, zone, lang) => {
          expect(sayDay(ms, zone, lang)).toBe(luxonDay(ms, zone, lang));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('tells apart the two sides of a local midnight and the same instant in two zones', () => {
    const midnight = Date.parse('2026-05-14T23:00:00Z'); // 00:00 on the 15th in Lisbon (summer time)
    expect(sayDay(midnight - 1, 'Europe/Lisbon', 'en')).toBe('Thursday 14 May');
    expect(sayDay(midnight, 'Europe/Lisbon', 'en')).toBe('Friday 15 May');
    expect(sayDay(midnight, 'UTC', 'en')).toBe('Thursday 14 May');
    expect(sayDay(midnight, 'Europe/Lisbon', 'pt')).toBe('sexta-feira, 15 de maio');
  });
});
