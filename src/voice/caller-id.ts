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

/** SIP URIs percent-encode "+" as %2B; a malformed escape is kept as it came, never thrown. */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The caller's E.164 number, or null when it is withheld, missing or not a valid number. */
export function callerNumber(raw: unknown, country: string): string | null {
  // Payloads are the platforms' JSON: anything but a non-empty string is no caller ID.
  if (typeof raw !== 'string' || !raw) return null;
  let text = raw.trim();
  // SIP: `"Maria" <sip:+351912345678@pbx.example;user=phone>;tag=abc` → +351912345678
  const uri = /<?(?:sips?|tel):([^@;>]+)/i.exec(text);
  if (uri) text = uri[1]!;
  text = safeDecode(text).trim();
  if (WITHHELD.has(text.toLowerCase())) return null;
  return toE164(text, country);
}
