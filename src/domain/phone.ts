// Phone numbers: libphonenumber-js (full metadata) decides validity, not just the E.164 shape.
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';

// A voice call's caller and called numbers are parsed again on every tool call of the call (~3% of a
// voice check): answers are kept for a while, by country and text. The map is bounded and emptied
// when full; it holds numbers only in this process's memory, never in logs or answers.
const parsed = new Map<string, string | null>();
const KEEP = 2_000;

/** The number in E.164, or null when it is not a valid number (with `country` for national formats). */
export function toE164(input: string, country?: string): string | null {
  const key = `${country ?? ''}|${input}`;
  let e164 = parsed.get(key);
  if (e164 === undefined) {
    const number = parsePhoneNumberFromString(input.trim(), country as CountryCode | undefined);
    e164 = number?.isValid() ? number.number : null;
    if (parsed.size >= KEEP) parsed.clear();
    parsed.set(key, e164);
  }
  return e164;
}
