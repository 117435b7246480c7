// What the agent says back: short, single-line sentences in the clinic's language (pt-PT or en).
import { DateTime } from 'luxon';
import type { Language } from '../domain/language.js';
import { renderInstant } from '../domain/time.js';

export { type Language, languageOf } from '../domain/language.js';

const locale = { pt: 'pt-PT', en: 'en-GB' } as const;

/** "quinta-feira, 14 de maio, às 10:00" / "Thursday 14 May at 10:00", in the clinic's zone. */
export function sayWhen(ms: number, zone: string, lang: Language): string {
  const dt = DateTime.fromMillis(ms, { zone }).setLocale(locale[lang]);
  const day = dt.toFormat(lang === 'pt' ? "cccc, d 'de' MMMM" : 'cccc d MMMM');
  return lang === 'pt' ? `${day}, às ${dt.toFormat('HH:mm')}` : `${day} at ${dt.toFormat('HH:mm')}`;
}

export const sayTime = (ms: number, zone: string) => renderInstant(ms, zone).slice(11, 16);

export const sayDay = (ms: number, zone: string, lang: Language) =>
  DateTime.fromMillis(ms, { zone })
    .setLocale(locale[lang])
    .toFormat(lang === 'pt' ? "cccc, d 'de' MMMM" : 'cccc d MMMM');

/** "a, b ou c" / "a, b or c". */
export function sayList(items: string[], lang: Language): string {
  if (items.length <= 1) return items.join('');
  const or = lang === 'pt' ? ' ou ' : ' or ';
  return `${items.slice(0, -1).join(', ')}${or}${items.at(-1)}`;
}

export const sayPrice = (cents: number | null, currency: string, lang: Language) =>
  cents === null
    ? ''
    : new Intl.NumberFormat(locale[lang], {
        style: 'currency',
        currency,
        maximumFractionDigits: cents % 100 ? 2 : 0,
      })
        .format(cents / 100)
        // Intl puts a no-break space before the symbol; speech engines want a plain one.
        .replace(/\u00a0/g, ' ');

/** Every sentence the tools can speak, in both languages. */
export const PHRASES = {
  // A suspended clinic's line (the caller is not told why: that is between the clinic and us).
  suspended: {
    pt: () =>
      'De momento não consigo tratar de marcações por telefone para esta clínica. Por favor, contacte a clínica por outra via.',
    en: () =>
      'I cannot handle appointments by phone for this clinic at the moment. Please contact the clinic another way.',
  },
  noService: {
    pt: (offered: string) => `Não encontrei esse serviço. Temos: ${offered}.`,
    en: (offered: string) => `I could not find that service. We offer: ${offered}.`,
  },
  noProfessional: {
    pt: (name: string) => `Não encontrei o profissional ${name}.`,
    en: (name: string) => `I could not find a professional called ${name}.`,
  },
  services: {
    pt: (list: string) => `Temos: ${list}.`,
    en: (list: string) => `We offer: ${list}.`,
  },
  noServices: {
    pt: () => 'Ainda não há serviços disponíveis para marcação.',
    en: () => 'There are no services to book yet.',
  },
  slots: {
    pt: (day: string, times: string, who: string) => `Há vagas ${day} às ${times}${who}.`,
    en: (day: string, times: string, who: string) => `There is availability on ${day} at ${times}${who}.`,
  },
  slotsOtherDay: {
    pt: (asked: string, day: string, times: string, who: string) =>
      `Não há vagas ${asked}. A mais próxima é ${day} às ${times}${who}.`,
    en: (asked: string, day: string, times: string, who: string) =>
      `Nothing is free ${asked}. The nearest is ${day} at ${times}${who}.`,
  },
  noSlots: {
    pt: () => 'Não há vagas nas próximas semanas. Posso passar a chamada para a receção.',
    en: () => 'There is nothing free in the coming weeks. I can pass you to the reception.',
  },
  with: { pt: (name: string) => ` com ${name}`, en: (name: string) => ` with ${name}` },
  booked: {
    pt: (service: string, when: string, who: string) => `Marcação confirmada: ${service}, ${when}${who}.`,
    en: (service: string, when: string, who: string) => `Booked: ${service} on ${when}${who}.`,
  },
  taken: {
    pt: (alternatives: string) => `Essa hora já não está livre. ${alternatives}`,
    en: (alternatives: string) => `That time is no longer free. ${alternatives}`,
  },
  alternatives: {
    pt: (list: string) => `Posso oferecer ${list}.`,
    en: (list: string) => `I can offer ${list}.`,
  },
  outsideHours: {
    pt: (alternatives: string) => `Nessa hora não há consultas. ${alternatives}`,
    en: (alternatives: string) => `There are no appointments at that time. ${alternatives}`,
  },
  tooSoon: {
    pt: (alternatives: string) => `Essa hora é demasiado próxima para marcar. ${alternatives}`,
    en: (alternatives: string) => `That is too soon to book. ${alternatives}`,
  },
  tooFar: {
    pt: () => 'Ainda não abrimos marcações para essa data.',
    en: () => 'Bookings for that date are not open yet.',
  },
  badTime: {
    pt: () => 'Não percebi a data e hora. Diga-me o dia e a hora, por favor.',
    en: () => 'I did not catch the date and time. Please tell me the day and time.',
  },
  pastTime: { pt: () => 'Essa hora já passou.', en: () => 'That time has already passed.' },
  needPhone: {
    pt: () => 'Preciso de um número de telemóvel para a marcação. Qual é o seu número?',
    en: () => 'I need a mobile number for the booking. What is your number?',
  },
  badPhone: {
    pt: () => 'Esse número não parece válido. Pode repetir, com o indicativo?',
    en: () => 'That number does not look valid. Could you repeat it, with the country code?',
  },
  needName: { pt: () => 'Qual é o nome do paciente?', en: () => 'What is the patient’s name?' },
  needCallerId: {
    pt: () =>
      'Por segurança só posso consultar marcações do número de onde liga, e este número está oculto. Ligue do número da marcação ou posso passar à receção.',
    en: () =>
      'For your security I can only look up bookings of the number you are calling from, and it is withheld. Please call from that number, or I can pass you to the reception.',
  },
  noAppointments: {
    pt: () => 'Não encontrei marcações futuras para este número.',
    en: () => 'I found no upcoming appointments for this number.',
  },
  appointments: {
    pt: (list: string) => `Tem ${list}.`,
    en: (list: string) => `You have ${list}.`,
  },
  appointmentItem: {
    pt: (service: string, when: string, who: string) => `${service} ${when}${who}`,
    en: (service: string, when: string, who: string) => `${service} on ${when}${who}`,
  },
  whichAppointment: {
    pt: (list: string) => `Tem várias marcações: ${list}. Qual delas?`,
    en: (list: string) => `You have several appointments: ${list}. Which one?`,
  },
  cancelled: {
    pt: (service: string, when: string) => `A marcação de ${service} ${when} foi cancelada.`,
    en: (service: string, when: string) => `Your ${service} appointment on ${when} is cancelled.`,
  },
  moved: {
    pt: (service: string, when: string, who: string) => `Remarcado: ${service}, ${when}${who}.`,
    en: (service: string, when: string, who: string) => `Rescheduled: ${service} on ${when}${who}.`,
  },
  cannotChange: {
    pt: () => 'Essa marcação já não pode ser alterada.',
    en: () => 'That appointment can no longer be changed.',
  },
  busy: {
    pt: () => 'Houve um problema ao guardar. Pode repetir daqui a pouco?',
    en: () => 'Something went wrong while saving. Could you try again in a moment?',
  },
} as const;
