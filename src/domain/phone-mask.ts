// Phone numbers shown or kept where the number itself must not be: a caller's number masked for
// people ("+351 ••• ••• 678"), and numbers said in a call masked in its transcript and tool inputs.
import { type CountryCode, findPhoneNumbersInText, parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** "+351 ••• ••• 678": the country code and last three digits of an E.164 number, null if not one. */
export function maskPhone(e164: string): string | null {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return null;
  const international = parsed.formatInternational();
  const prefix = `+${parsed.countryCallingCode}`;
  const rest = international.slice(prefix.length);
  let toHide = rest.replace(/\D/g, '').length - 3;
  return prefix + rest.replace(/\d/g, (d) => (toHide-- > 0 ? '•' : d));
}

/** The country of a number in E.164 (a clinic's line tells which national formats callers use). */
export const countryOfPhone = (e164: string | null | undefined): CountryCode | undefined =>
  (e164 && parsePhoneNumberFromString(e164)?.country) || undefined;

// Digits of any script: libphonenumber finds numbers in Arabic-Indic digits too, which `\d` misses
// (a run of them counted no digits and `repeat` threw, failing the whole log write).
const hide = (run: string) => {
  const digits = run.replace(/\P{Nd}/gu, '');
  return `${'•'.repeat(digits.length - 2)}${digits.slice(-2)}`;
};

// Six or more digits joined by the separators people and speech-to-text put in numbers (spaces, dots,
// commas, slashes, dashes, brackets): "916,543,217", "916/543/217", "(21) 345-6789". A colon is no
// separator, so times ("10:30") stay; a run followed by a currency is a price and stays.
const DIGIT_RUN = /\+?\d(?:[\s.,/()-]{0,3}\d){5,}/g;
const PRICE_AFTER = /^\s?(?:€|\$|£|EUR|USD|GBP|BRL|R\$)/i;
const ANY_DIGIT = /\p{Nd}/u;
const DATE = /^(?:\d{4}-\d{2}-\d{2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4})$/;
// A whole value that is an ISO date, time or date-time (what the tools take as `date` and `startsAt`).
const ISO_INSTANT =
  /^(?:\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?|\d{2}:\d{2}(?::\d{2})?)$/;

/**
 * The text with every phone number masked but its last two digits. Normalised first (NFKC), so
 * full-width "９１６" is found as "916"; libphonenumber's finder catches the formats it knows for the
 * country, then any other run of six or more digits is masked too. Times, dates and prices stay.
 */
export function maskPhonesInText(text: string, country?: CountryCode): string {
  let normalised = text.normalize('NFKC');
  // Neither finder sees a number without a digit (libphonenumber's digits are all decimal digits):
  // most logged values (names, services, parts of the day) skip its matcher.
  if (!ANY_DIGIT.test(normalised)) return normalised;
  // Nor is a date or a time a number, though its digits may spell one: "2026-03-03" is a valid Danish
  // number, and was masked. Most tool inputs with digits are these, and skip the matcher (5% of a
  // voice booking's time).
  if (ISO_INSTANT.test(normalised)) return normalised;
  const found = findPhoneNumbersInText(normalised, { defaultCountry: country });
  for (const { startsAt, endsAt } of found.reverse()) {
    normalised =
      normalised.slice(0, startsAt) + hide(normalised.slice(startsAt, endsAt)) + normalised.slice(endsAt);
  }
  return normalised.replace(DIGIT_RUN, (run, offset: number, whole: string) => {
    const trimmed = run.trim();
    if (DATE.test(trimmed)) return run;
    if (PRICE_AFTER.test(whole.slice(offset + run.length))) return run;
    return run.replace(/\D/g, '').length >= 6 ? hide(run) : run;
  });
}
