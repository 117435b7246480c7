// What each message says, per language, with placeholders the sender fills in. A clinic may replace
// any of them (settings.templates); a template is refused when its placeholders are unknown or when,
// filled with values of typical maximum length, it would exceed the clinic's segment limit.
import { DateTime } from 'luxon';
import { MESSAGE_LANGUAGES, type MessageKind, type MessageLanguage } from '../domain/message-vocabulary.js';
import { countSegments, type SegmentCount } from './segments.js';

// {link}: the patient's own appointment page (src/booking/patient-link.ts); in a triage message the
// triage form, in a feedback message the feedback form. A line holding it is left
// out when no link can be made (no PUBLIC_BASE_URL), so the message never shows an empty link.
export const PLACEHOLDERS = ['clinic', 'patient', 'date', 'time', 'professional', 'service', 'link'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type TemplateValues = Record<Placeholder, string>;

/** Lengths the limit check fills placeholders to (a patient is named by their first name). */
const TYPICAL_MAX: TemplateValues = {
  clinic: 'x'.repeat(30),
  patient: 'x'.repeat(15),
  date: '00/00/0000',
  time: '00:00',
  professional: 'x'.repeat(25),
  service: 'x'.repeat(25),
  // https://agendai.example.com/a/ and the 48-character token, with room for a longer host.
  link: 'x'.repeat(80),
};

export const DEFAULT_TEMPLATES: Record<MessageKind, Record<MessageLanguage, string>> = {
  confirmation: {
    'pt-PT':
      '{clinic}: {patient}, a sua consulta ficou marcada para {date} às {time} com {professional}.\nConfirmar, cancelar ou mudar: {link}',
    'pt-BR':
      '{clinic}: {patient}, sua consulta foi marcada para {date} às {time} com {professional}.\nConfirmar, cancelar ou mudar: {link}',
    en: '{clinic}: {patient}, your appointment is booked for {date} at {time} with {professional}.\nConfirm, cancel or change: {link}',
    es: '{clinic}: {patient}, su cita queda reservada para el {date} a las {time} con {professional}.\nConfirmar, cancelar o cambiar: {link}',
  },
  reschedule: {
    'pt-PT': '{clinic}: {patient}, a sua consulta passou para {date} às {time} com {professional}.',
    'pt-BR': '{clinic}: {patient}, sua consulta foi remarcada para {date} às {time} com {professional}.',
    en: '{clinic}: {patient}, your appointment has moved to {date} at {time} with {professional}.',
    es: '{clinic}: {patient}, su cita ha cambiado al {date} a las {time} con {professional}.',
  },
  cancellation: {
    'pt-PT': '{clinic}: {patient}, a sua consulta de {date} às {time} foi cancelada.',
    'pt-BR': '{clinic}: {patient}, sua consulta de {date} às {time} foi cancelada.',
    en: '{clinic}: {patient}, your appointment on {date} at {time} has been cancelled.',
    es: '{clinic}: {patient}, su cita del {date} a las {time} ha sido cancelada.',
  },
  reminder: {
    'pt-PT':
      '{clinic}: lembrete da sua consulta a {date} às {time} com {professional}. Responda SIM para confirmar ou C para cancelar.\nOu no link: {link}\nPARAR para sair.',
    'pt-BR':
      '{clinic}: lembrete da sua consulta em {date} às {time} com {professional}. Responda SIM para confirmar ou C para cancelar.\nOu no link: {link}\nPARAR para sair.',
    en: '{clinic}: reminder of your appointment on {date} at {time} with {professional}. Reply YES to confirm or C to cancel.\nOr online: {link}\nSTOP to opt out.',
    es: '{clinic}: recordatorio de su cita el {date} a las {time} con {professional}. Responda SI para confirmar o C para cancelar.\nEnlace: {link}\nPARAR para salir.',
  },
  // Kept to the GSM-7 alphabet (no ã, ç, ó…): one alphabet keeps a link message in two segments.
  triage: {
    'pt-PT':
      '{clinic}: {patient}, antes da sua consulta de {date} às {time}, responda a algumas perguntas:\n{link}',
    'pt-BR':
      '{clinic}: {patient}, antes da sua consulta em {date} às {time}, responda a algumas perguntas:\n{link}',
    en: '{clinic}: {patient}, before your appointment on {date} at {time}, please answer a few questions:\n{link}',
    es: '{clinic}: {patient}, antes de su cita del {date} a las {time}, responda a unas preguntas:\n{link}',
  },
  feedback: {
    'pt-PT': '{clinic}: {patient}, obrigado pela sua visita. Como correu? Deixe a sua nota de 1 a 5:\n{link}',
    'pt-BR': '{clinic}: {patient}, obrigado pela sua visita. Como foi? Deixe sua nota de 1 a 5:\n{link}',
    en: '{clinic}: {patient}, thank you for your visit. How did it go? Rate it from 1 to 5:\n{link}',
    es: '{clinic}: {patient}, gracias por su visita. Valore su experiencia de 1 a 5:\n{link}',
  },
};

const PLACEHOLDER = /\{([a-zA-Z]+)\}/g;

/** Placeholders a template names that the sender does not know. */
export const unknownPlaceholders = (template: string): string[] =>
  [...template.matchAll(PLACEHOLDER)]
    .map((m) => m[1]!)
    .filter((name) => !(PLACEHOLDERS as readonly string[]).includes(name));

export const fillTemplate = (template: string, values: TemplateValues): string =>
  (values.link ? template : template.replace(/^.*\{link\}.*(\n|$)/gm, '').trimEnd()).replace(
    PLACEHOLDER,
    (whole, name: string) =>
      (PLACEHOLDERS as readonly string[]).includes(name) ? values[name as Placeholder] : whole,
  );

/** Segments the template takes with its placeholders at their typical maximum lengths. */
export const estimateSegments = (template: string): SegmentCount =>
  countSegments(fillTemplate(template, TYPICAL_MAX));

/** The nearest template language for a clinic's BCP 47 tag (pt → pt-PT, es-MX → es, else en). */
export function messageLanguageOf(tag: string): MessageLanguage {
  const exact = MESSAGE_LANGUAGES.find((l) => l.toLowerCase() === tag.toLowerCase());
  if (exact) return exact;
  const base = tag.toLowerCase().split('-')[0];
  if (base === 'pt') return 'pt-PT';
  if (base === 'es') return 'es';
  return 'en';
}

/** Date and time as patients of that language read them, in the clinic's zone. */
export function whenValues(instant: number, zone: string, language: MessageLanguage) {
  const at = DateTime.fromMillis(instant, { zone });
  return { date: at.toFormat(language === 'en' ? 'd LLL yyyy' : 'dd/LL/yyyy'), time: at.toFormat('HH:mm') };
}
