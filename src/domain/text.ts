// Free text as the clinic keeps it: names, notes, reasons. One rule for every door.

// Text folding for search and slugs: "João" and "joao" are the same patient to a receptionist.
export const foldText = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim();

// Characters no person types into a name or a note, which reach PMSs, pages, logs and voices:
// C0 and C1 controls and DEL (NUL truncates strings in C code, ESC drives terminals), bidi embeddings,
// overrides and isolates (U+202A–202E, U+2066–2069: "Trojan Source" reordering), and invisible
// characters that make two names look alike (U+200B zero width space, U+2060–2064, U+FEFF, U+180E,
// line and paragraph separators). ZWJ and ZWNJ (U+200C, U+200D) stay: Persian, Indic scripts and
// emoji need them. Multi-line fields (notes, reasons) also take tab, line feed and carriage return.
const UNSAFE_LINE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  /[\u0000-\u001F\u007F-\u009F\u180E\u200B\u2028\u2029\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/u;
const UNSAFE_MULTILINE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u180E\u200B\u2028\u2029\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/u;

/** The first character free text must not hold, as "U+XXXX", or null when the text is clean. */
export function unsafeCharacter(text: string, multiline = false): string | null {
  const found = (multiline ? UNSAFE_MULTILINE : UNSAFE_LINE).exec(text);
  if (!found) return null;
  return `U+${found[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The message a door gives for text that holds such a character. */
export const unsafeTextMessage = (character: string) =>
  `Contains a control or invisible formatting character (${character})`;
