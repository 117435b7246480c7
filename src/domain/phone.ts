// Phone numbers: libphonenumber-js (full metadata) decides validity, not just the E.164 shape.
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** The number in E.164, or null when it is not a valid number (with `country` for national formats). */
export function toE164(input: string, country?: string): string | null {
  const parsed = parsePhoneNumberFromString(input.trim(), country as CountryCode | undefined);
  return parsed?.isValid() ? parsed.number : null;
}
