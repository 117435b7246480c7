// Emergencies: the red-flag symptoms that mean "call the emergency number now", and which number.
// A clinic may list its own red flags (config.emergencySymptoms); without a list these defaults
// apply, every language's at once: a caller may describe symptoms in another language than the
// clinic's, and missing a red flag costs far more than a false alarm (the caller is only told to
// call the emergency number).
import type { Language } from './language.js';
import { foldText } from './text.js';

export const DEFAULT_RED_FLAGS: Record<Language, readonly string[]> = {
  pt: [
    'dor no peito',
    'aperto no peito',
    'falta de ar',
    'dificuldade em respirar',
    'nao consigo respirar',
    'perda de consciencia',
    'desmaio',
    'desmaiou',
    'inconsciente',
    'hemorragia',
    'sangramento abundante',
    'convulsao',
    'avc',
    'boca ao lado',
    'cara ao lado',
    'dificuldade em falar',
    'reacao alergica grave',
    'garganta inchada',
    'suicidio',
    'overdose',
    'envenenamento',
  ],
  'pt-BR': [
    'dor no peito',
    'falta de ar',
    'dificuldade para respirar',
    'nao consigo respirar',
    'desmaio',
    'desmaiou',
    'inconsciente',
    'sangramento forte',
    'hemorragia',
    'convulsao',
    'derrame',
    'avc',
    'boca torta',
    'dificuldade para falar',
    'reacao alergica grave',
    'garganta fechando',
    'suicidio',
    'overdose',
    'envenenamento',
  ],
  en: [
    'chest pain',
    'chest tightness',
    'shortness of breath',
    'difficulty breathing',
    "can't breathe",
    'cannot breathe',
    'unconscious',
    'fainted',
    'passed out',
    'severe bleeding',
    'heavy bleeding',
    'seizure',
    'stroke',
    'face drooping',
    'slurred speech',
    'severe allergic reaction',
    'throat swelling',
    'suicidal',
    'overdose',
    'poisoning',
  ],
  es: [
    'dolor en el pecho',
    'dolor de pecho',
    'falta de aire',
    'dificultad para respirar',
    'no puedo respirar',
    'perdida de conciencia',
    'desmayo',
    'se desmayo',
    'inconsciente',
    'hemorragia',
    'sangrado abundante',
    'convulsion',
    'ictus',
    'derrame cerebral',
    'dificultad para hablar',
    'reaccion alergica grave',
    'garganta hinchada',
    'suicidio',
    'sobredosis',
    'envenenamiento',
  ],
};

const ALL_DEFAULTS = [...new Set(Object.values(DEFAULT_RED_FLAGS).flat())];

/** The red flags a clinic checks: its own list when it set one, else every default. */
export const redFlagsOf = (configured: readonly string[] | null | undefined): readonly string[] =>
  configured?.length ? configured : ALL_DEFAULTS;

/**
 * The red flags a text mentions (accent- and case-free, whole words). Matching is deliberately
 * plain: no model decides whether chest pain is serious.
 */
export function redFlagsIn(text: string | null | undefined, flags: readonly string[]): string[] {
  if (!text) return [];
  const said = ` ${foldText(text.replace(/’/g, "'")).replace(/[^\p{L}\p{N}']+/gu, ' ')} `;
  return flags.filter((flag) => {
    const wanted = foldText(flag)
      .replace(/[^\p{L}\p{N}']+/gu, ' ')
      .trim();
    return wanted.length > 0 && said.includes(` ${wanted} `);
  });
}

// Emergency numbers by ISO country. 112 works across the EU (and on any GSM phone in most of the
// world); the exceptions are the countries where patients know another number first.
const EMERGENCY_NUMBERS: Record<string, string> = {
  BR: '192', // SAMU (medical emergencies)
  US: '911',
  CA: '911',
  MX: '911',
  AR: '107',
  GB: '999',
  AU: '000',
  NZ: '111',
  CH: '144',
  AO: '112',
  MZ: '117',
  CV: '130',
};

// Time zones name the country when the clinic's country is unknown (a row from before it was required).
const ZONE_COUNTRIES: [RegExp, string][] = [
  [
    /^America\/(Sao_Paulo|Bahia|Fortaleza|Recife|Belem|Manaus|Cuiaba|Porto_Velho|Rio_Branco|Maceio|Araguaina|Campo_Grande|Boa_Vista|Santarem|Noronha)$/,
    'BR',
  ],
  [/^America\/(New_York|Chicago|Denver|Los_Angeles|Phoenix|Anchorage|Detroit)$|^Pacific\/Honolulu$/, 'US'],
  [/^Europe\/London$/, 'GB'],
];

/** The number a caller in the clinic's country dials for a medical emergency. */
export function emergencyNumber(country: string | null | undefined, timezone?: string): string {
  const byCountry = country ? EMERGENCY_NUMBERS[country.toUpperCase()] : undefined;
  if (byCountry) return byCountry;
  if (!country && timezone) {
    const zoned = ZONE_COUNTRIES.find(([zone]) => zone.test(timezone))?.[1];
    if (zoned) return EMERGENCY_NUMBERS[zoned] ?? '112';
  }
  return '112';
}
