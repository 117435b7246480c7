// The language a clinic speaks to patients (its config's BCP 47 tag): European Portuguese or English.
export type Language = 'pt' | 'en';

export const languageOf = (tag: string): Language => (tag.toLowerCase().startsWith('pt') ? 'pt' : 'en');
