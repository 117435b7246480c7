// Phone numbers: libphonenumber-js (full metadata) decides validity, not just the E.164 shape.
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { keptUpTo } from './kept.js';

// A voice call's caller and called numbers are parsed again on every tool call of the call (~3% of a
// voice check): answers are kept for a while, by country and text, only in this process's memory,
// never in logs or answers.
const parsed = keptUpTo<string, string | null>(2_000);

/** The number in E.164, or null when it is not a valid number (with `country` for national formats). */
export const toE164 = (input: string, country?: string): string | null =>
  parsed(`${country ?? ''}|${input}`, () => {
    const number = parsePhoneNumberFromString(input.trim(), country as CountryCode | undefined);
    return number?.isValid() ? number.number : null;
  });
