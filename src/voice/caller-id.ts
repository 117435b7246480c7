// Caller ID as the platforms deliver it: E.164, national digits, SIP URIs with display names and
// tags, or a placeholder for a withheld number. Anything that is not a real number is "no caller ID".
import { toE164 } from '../domain/phone.js';

// Keypad sentinels some carriers send for withheld numbers ("ANONYMOUS" and "RESTRICTED" on a keypad).
const WITHHELD = new Set([
  'anonymous',
  'restricted',
  'unknown',
  'private',
  'unavailable',
  '+266696687',
  '+7378742833',
]);

/** The caller's E.164 number, or null when it is withheld, missing or not a valid number. */
export function callerNumber(raw: string | null | undefined, country: string): string | null {
  if (!raw) return null;
  let text = raw.trim();
  // SIP: `"Maria" <sip:+351912345678@pbx.example;user=phone>;tag=abc` → +351912345678
  const uri = /<?(?:sips?|tel):([^@;>]+)/i.exec(text);
  if (uri) text = uri[1]!;
  text = decodeURIComponent(text).trim();
  if (WITHHELD.has(text.toLowerCase())) return null;
  return toE164(text, country);
}
