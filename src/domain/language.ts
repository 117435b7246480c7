// The language a clinic speaks to patients, from its config's BCP 47 tag: European Portuguese ('pt'),
// Brazilian Portuguese ('pt-BR'), English or Spanish. 'pt' keeps meaning pt-PT so phrase tables written
// before pt-BR existed still read right.
export const LANGUAGES = ['pt', 'pt-BR', 'en', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

export function languageOf(tag: string | null | undefined): Language {
  const lower = (tag ?? '').toLowerCase();
  if (lower === 'pt-br') return 'pt-BR';
  if (lower.startsWith('pt')) return 'pt';
  if (lower.startsWith('es')) return 'es';
  return 'en';
}

/** The BCP 47 tag to render dates, prices and the page's `lang` with. */
export const LOCALE: Record<Language, string> = { pt: 'pt-PT', 'pt-BR': 'pt-BR', en: 'en-GB', es: 'es-ES' };

/** Countries whose clinics speak Spanish to patients by default (ISO 3166-1 alpha-2). */
const SPANISH = new Set('ES MX AR CO CL PE VE EC GT CU BO DO HN PY SV NI CR PA UY PR GQ'.split(' '));

/** A new clinic's language when none is given: from its country (BR → pt-BR, PT and lusophone Africa → pt-PT…). */
export function defaultLanguageTag(country: string): string {
  const c = country.toUpperCase();
  if (c === 'BR') return 'pt-BR';
  if (['PT', 'AO', 'MZ', 'CV', 'GW', 'ST', 'TL'].includes(c)) return 'pt-PT';
  if (SPANISH.has(c)) return 'es';
  return 'en';
}

/**
 * A phrase in a given language. Tables must have pt and en; pt-BR falls back to pt and es to en, so a
 * table written with only those two still speaks (less idiomatically) to every clinic.
 */
export type PhraseTable<F> = { pt: F; en: F; 'pt-BR'?: F; es?: F };
const FALLBACK: Record<Language, 'pt' | 'en'> = { pt: 'pt', 'pt-BR': 'pt', en: 'en', es: 'en' };
export const inLanguage = <F>(table: PhraseTable<F>, lang: Language): F =>
  table[lang] ?? table[FALLBACK[lang]];
