// What the agent says back: short, single-line sentences in the clinic's language (pt-PT, pt-BR, en,
// es). Every answer stays within SPOKEN_BUDGET characters: a tool that has more to say summarises
// and offers the rest (test/api/voice-answers.test.ts measures every tool against it).
import { DateTime } from 'luxon';
import { keptUpTo } from '../domain/kept.js';
import { inLanguage, type Language, LOCALE, type PhraseTable } from '../domain/language.js';
import { localDate, renderInstant } from '../domain/time.js';

export { inLanguage, type Language, languageOf, type PhraseTable } from '../domain/language.js';

/** The longest answer a tool may give, in characters: about 15 seconds of speech. */
export const SPOKEN_BUDGET = 240;

const DAY_FORMAT: Record<Language, string> = {
  pt: "cccc, d 'de' MMMM",
  'pt-BR': "cccc, d 'de' MMMM",
  en: 'cccc d MMMM',
  es: "cccc, d 'de' MMMM",
};
const AT: Record<Language, string> = { pt: ', às ', 'pt-BR': ', às ', en: ' at ', es: ', a las ' };

// A spoken day names only the local date (weekday, day, month), so it is kept per date and
// language: luxon's formatting asked Intl for parts on every availability answer (~2% of a check).
const daysSaid = keptUpTo<string, string>(5_000);

export const sayDay = (ms: number, zone: string, lang: Language): string =>
  daysSaid(`${localDate(ms, zone)}|${lang}`, () =>
    DateTime.fromMillis(ms, { zone }).setLocale(LOCALE[lang]).toFormat(DAY_FORMAT[lang]),
  );

/** "quinta-feira, 14 de maio, às 10:00" / "Thursday 14 May at 10:00", in the clinic's zone. */
export const sayWhen = (ms: number, zone: string, lang: Language): string =>
  `${sayDay(ms, zone, lang)}${AT[lang]}${sayTime(ms, zone)}`;

export const sayTime = (ms: number, zone: string) => renderInstant(ms, zone).slice(11, 16);

// ICU's list patterns know each language's joining words and their spellings ("siete u ocho").
const LISTS = new Map<string, Intl.ListFormat>();

/** "a, b ou c" / "a, b or c"; with `and`, "a, b e c" / "a, b and c". */
export function sayList(items: string[], lang: Language, joiner: 'or' | 'and' = 'or'): string {
  const key = `${lang}:${joiner}`;
  let list = LISTS.get(key);
  if (!list) {
    list = new Intl.ListFormat(LOCALE[lang], { type: joiner === 'or' ? 'disjunction' : 'conjunction' });
    LISTS.set(key, list);
  }
  return list.format(items);
}

export const sayPrice = (cents: number | null, currency: string, lang: Language) =>
  cents === null
    ? ''
    : new Intl.NumberFormat(LOCALE[lang], {
        style: 'currency',
        currency,
        maximumFractionDigits: cents % 100 ? 2 : 0,
      })
        .format(cents / 100)
        // Intl puts a no-break space before the symbol; speech engines want a plain one.
        .replace(/\u00a0/g, ' ');

type Phrase = (...args: string[]) => string;

/**
 * Every sentence the tools can speak: phrase → language → function. Other tools' phrase tables keep
 * this shape (at least pt and en; see PhraseTable) and are read with `inLanguage`.
 */
export const PHRASES = {
  // A suspended clinic's line (the caller is not told why: that is between the clinic and us).
  suspended: {
    pt: () =>
      'De momento não consigo tratar de marcações por telefone para esta clínica. Por favor, contacte a clínica por outra via.',
    'pt-BR': () =>
      'No momento não consigo fazer agendamentos por telefone para esta clínica. Por favor, entre em contato com a clínica de outra forma.',
    en: () =>
      'I cannot handle appointments by phone for this clinic at the moment. Please contact the clinic another way.',
    es: () =>
      'En este momento no puedo gestionar citas por teléfono para esta clínica. Por favor, contacte con la clínica por otra vía.',
  },
  noService: {
    pt: (offered: string) => `Não encontrei esse serviço. Temos: ${offered}.`,
    'pt-BR': (offered: string) => `Não encontrei esse serviço. Temos: ${offered}.`,
    en: (offered: string) => `I could not find that service. We offer: ${offered}.`,
    es: (offered: string) => `No encontré ese servicio. Tenemos: ${offered}.`,
  },
  noProfessional: {
    pt: (name: string) => `Não encontrei o profissional ${name}.`,
    'pt-BR': (name: string) => `Não encontrei o profissional ${name}.`,
    en: (name: string) => `I could not find a professional called ${name}.`,
    es: (name: string) => `No encontré al profesional ${name}.`,
  },
  services: {
    pt: (list: string) => `Temos: ${list}.`,
    'pt-BR': (list: string) => `Temos: ${list}.`,
    en: (list: string) => `We offer: ${list}.`,
    es: (list: string) => `Tenemos: ${list}.`,
  },
  moreServices: {
    pt: (n: string) => ` E mais ${n}; diga qual procura.`,
    'pt-BR': (n: string) => ` E mais ${n}; me diga qual você procura.`,
    en: (n: string) => ` And ${n} more; ask for one by name.`,
    es: (n: string) => ` Y ${n} más; dígame cuál busca.`,
  },
  noServices: {
    pt: () => 'Ainda não há serviços disponíveis para marcação.',
    'pt-BR': () => 'Ainda não há serviços disponíveis para agendamento.',
    en: () => 'There are no services to book yet.',
    es: () => 'Todavía no hay servicios para reservar.',
  },
  slots: {
    pt: (day: string, times: string, who: string) => `Há vagas ${day} às ${times}${who}.`,
    'pt-BR': (day: string, times: string, who: string) => `Tem horário ${day} às ${times}${who}.`,
    en: (day: string, times: string, who: string) => `There is availability on ${day} at ${times}${who}.`,
    es: (day: string, times: string, who: string) => `Hay hueco el ${day} a las ${times}${who}.`,
  },
  slotsOtherDay: {
    pt: (asked: string, day: string, times: string, who: string) =>
      `Não há vagas ${asked}. A mais próxima é ${day} às ${times}${who}.`,
    'pt-BR': (asked: string, day: string, times: string, who: string) =>
      `Não tem horário ${asked}. O mais próximo é ${day} às ${times}${who}.`,
    en: (asked: string, day: string, times: string, who: string) =>
      `Nothing is free ${asked}. The nearest is ${day} at ${times}${who}.`,
    es: (asked: string, day: string, times: string, who: string) =>
      `No hay huecos ${asked}. El más cercano es el ${day} a las ${times}${who}.`,
  },
  noSlots: {
    pt: () => 'Não há vagas nas próximas semanas. Posso passar a chamada para a receção.',
    'pt-BR': () => 'Não tem horário nas próximas semanas. Posso transferir para a recepção.',
    en: () => 'There is nothing free in the coming weeks. I can pass you to the reception.',
    es: () => 'No hay huecos en las próximas semanas. Puedo pasarle con recepción.',
  },
  with: {
    pt: (name: string) => ` com ${name}`,
    'pt-BR': (name: string) => ` com ${name}`,
    en: (name: string) => ` with ${name}`,
    es: (name: string) => ` con ${name}`,
  },
  booked: {
    pt: (service: string, when: string, who: string) => `Marcação confirmada: ${service}, ${when}${who}.`,
    'pt-BR': (service: string, when: string, who: string) =>
      `Agendamento confirmado: ${service}, ${when}${who}.`,
    en: (service: string, when: string, who: string) => `Booked: ${service} on ${when}${who}.`,
    es: (service: string, when: string, who: string) => `Cita confirmada: ${service}, ${when}${who}.`,
  },
  taken: {
    pt: (alternatives: string) => `Essa hora já não está livre. ${alternatives}`,
    'pt-BR': (alternatives: string) => `Esse horário não está mais livre. ${alternatives}`,
    en: (alternatives: string) => `That time is no longer free. ${alternatives}`,
    es: (alternatives: string) => `Esa hora ya no está libre. ${alternatives}`,
  },
  alternatives: {
    pt: (list: string) => `Posso oferecer ${list}.`,
    'pt-BR': (list: string) => `Posso oferecer ${list}.`,
    en: (list: string) => `I can offer ${list}.`,
    es: (list: string) => `Puedo ofrecerle ${list}.`,
  },
  outsideHours: {
    pt: (alternatives: string) => `Nessa hora não há consultas. ${alternatives}`,
    'pt-BR': (alternatives: string) => `Nesse horário não há atendimento. ${alternatives}`,
    en: (alternatives: string) => `There are no appointments at that time. ${alternatives}`,
    es: (alternatives: string) => `A esa hora no hay consultas. ${alternatives}`,
  },
  tooSoon: {
    pt: (alternatives: string) => `Essa hora é demasiado próxima para marcar. ${alternatives}`,
    'pt-BR': (alternatives: string) => `Esse horário está muito em cima da hora. ${alternatives}`,
    en: (alternatives: string) => `That is too soon to book. ${alternatives}`,
    es: (alternatives: string) => `Es demasiado pronto para reservar. ${alternatives}`,
  },
  tooFar: {
    pt: () => 'Ainda não abrimos marcações para essa data.',
    'pt-BR': () => 'A agenda para essa data ainda não está aberta.',
    en: () => 'Bookings for that date are not open yet.',
    es: () => 'Todavía no hay agenda abierta para esa fecha.',
  },
  badTime: {
    pt: () => 'Não percebi a data e hora. Diga-me o dia e a hora, por favor.',
    'pt-BR': () => 'Não entendi a data e o horário. Me diga o dia e o horário, por favor.',
    en: () => 'I did not catch the date and time. Please tell me the day and time.',
    es: () => 'No entendí la fecha y la hora. Dígame el día y la hora, por favor.',
  },
  pastTime: {
    pt: () => 'Essa hora já passou.',
    'pt-BR': () => 'Esse horário já passou.',
    en: () => 'That time has already passed.',
    es: () => 'Esa hora ya ha pasado.',
  },
  needPhone: {
    pt: () => 'Preciso de um número de telemóvel para a marcação. Qual é o seu número?',
    'pt-BR': () => 'Preciso de um número de celular para o agendamento. Qual é o seu número?',
    en: () => 'I need a mobile number for the booking. What is your number?',
    es: () => 'Necesito un número de móvil para la cita. ¿Cuál es su número?',
  },
  badPhone: {
    pt: () => 'Esse número não parece válido. Pode repetir, com o indicativo?',
    'pt-BR': () => 'Esse número não parece válido. Pode repetir com o DDD?',
    en: () => 'That number does not look valid. Could you repeat it, with the country code?',
    es: () => 'Ese número no parece válido. ¿Puede repetirlo con el prefijo?',
  },
  needName: {
    pt: () => 'Qual é o nome do paciente?',
    'pt-BR': () => 'Qual é o nome do paciente?',
    en: () => 'What is the patient’s name?',
    es: () => '¿Cuál es el nombre del paciente?',
  },
  needCallerId: {
    pt: () =>
      'Por segurança só posso consultar marcações do número de onde liga, e este número está oculto. Ligue do número da marcação ou posso passar à receção.',
    'pt-BR': () =>
      'Por segurança só posso consultar agendamentos do número de onde você liga, e ele está oculto. Ligue do número do agendamento ou transfiro para a recepção.',
    en: () =>
      'For your security I can only look up bookings of the number you are calling from, and it is withheld. Please call from that number, or I can pass you to the reception.',
    es: () =>
      'Por seguridad solo puedo consultar citas del número desde el que llama, y está oculto. Llame desde ese número o le paso con recepción.',
  },
  noAppointments: {
    pt: () => 'Não encontrei marcações futuras para este número.',
    'pt-BR': () => 'Não encontrei agendamentos futuros para este número.',
    en: () => 'I found no upcoming appointments for this number.',
    es: () => 'No encontré citas próximas para este número.',
  },
  noSuchReference: {
    pt: () => 'Não encontrei nenhuma marcação com essa referência para este número.',
    'pt-BR': () => 'Não encontrei nenhum agendamento com essa referência para este número.',
    en: () => 'I found no appointment with that reference for this number.',
    es: () => 'No encontré ninguna cita con esa referencia para este número.',
  },
  appointments: {
    pt: (list: string) => `Tem ${list}.`,
    'pt-BR': (list: string) => `Você tem ${list}.`,
    en: (list: string) => `You have ${list}.`,
    es: (list: string) => `Tiene ${list}.`,
  },
  manyAppointments: {
    pt: (count: string, list: string) => `Tem ${count} marcações; as próximas: ${list}.`,
    'pt-BR': (count: string, list: string) => `Você tem ${count} agendamentos; os próximos: ${list}.`,
    en: (count: string, list: string) => `You have ${count} appointments; the next: ${list}.`,
    es: (count: string, list: string) => `Tiene ${count} citas; las próximas: ${list}.`,
  },
  laterAppointments: {
    pt: (list: string) => `Depois: ${list}.`,
    'pt-BR': (list: string) => `Depois: ${list}.`,
    en: (list: string) => `After those: ${list}.`,
    es: (list: string) => `Después: ${list}.`,
  },
  moreAppointments: {
    pt: (n: string) => ` Há mais ${n}. Quer ouvir?`,
    'pt-BR': (n: string) => ` Tem mais ${n}. Quer ouvir?`,
    en: (n: string) => ` ${n} more. Shall I go on?`,
    es: (n: string) => ` Hay ${n} más. ¿Quiere oírlas?`,
  },
  noMoreAppointments: {
    pt: () => 'Não há mais marcações.',
    'pt-BR': () => 'Não tem mais agendamentos.',
    en: () => 'There are no more appointments.',
    es: () => 'No hay más citas.',
  },
  appointmentItem: {
    pt: (service: string, when: string, who: string) => `${service} ${when}${who}`,
    'pt-BR': (service: string, when: string, who: string) => `${service} ${when}${who}`,
    en: (service: string, when: string, who: string) => `${service} on ${when}${who}`,
    es: (service: string, when: string, who: string) => `${service} el ${when}${who}`,
  },
  forPatient: {
    pt: (name: string) => ` para ${name}`,
    'pt-BR': (name: string) => ` para ${name}`,
    en: (name: string) => ` for ${name}`,
    es: (name: string) => ` para ${name}`,
  },
  whichAppointment: {
    pt: (count: string, list: string) => `Tem ${count} marcações, como ${list}. Qual delas?`,
    'pt-BR': (count: string, list: string) => `Você tem ${count} agendamentos, como ${list}. Qual deles?`,
    en: (count: string, list: string) => `You have ${count} appointments, such as ${list}. Which one?`,
    es: (count: string, list: string) => `Tiene ${count} citas, como ${list}. ¿Cuál de ellas?`,
  },
  cancelled: {
    pt: (service: string, when: string) => `A marcação de ${service} ${when} foi cancelada.`,
    'pt-BR': (service: string, when: string) => `O agendamento de ${service} ${when} foi cancelado.`,
    en: (service: string, when: string) => `Your ${service} appointment on ${when} is cancelled.`,
    es: (service: string, when: string) => `La cita de ${service} del ${when} está cancelada.`,
  },
  moved: {
    pt: (service: string, when: string, who: string) => `Remarcado: ${service}, ${when}${who}.`,
    'pt-BR': (service: string, when: string, who: string) => `Reagendado: ${service}, ${when}${who}.`,
    en: (service: string, when: string, who: string) => `Rescheduled: ${service} on ${when}${who}.`,
    es: (service: string, when: string, who: string) => `Cita cambiada: ${service}, ${when}${who}.`,
  },
  cannotChange: {
    pt: () => 'Essa marcação já não pode ser alterada.',
    'pt-BR': () => 'Esse agendamento não pode mais ser alterado.',
    en: () => 'That appointment can no longer be changed.',
    es: () => 'Esa cita ya no se puede cambiar.',
  },
  busy: {
    pt: () => 'Houve um problema ao guardar. Pode repetir daqui a pouco?',
    'pt-BR': () => 'Houve um problema ao salvar. Pode tentar de novo daqui a pouco?',
    en: () => 'Something went wrong while saving. Could you try again in a moment?',
    es: () => 'Hubo un problema al guardar. ¿Puede intentarlo de nuevo en un momento?',
  },
} as const satisfies Record<string, Required<PhraseTable<Phrase>>>;

/** A phrase of PHRASES in the session's language. */
export const phrase = <K extends keyof typeof PHRASES>(lang: Language, key: K) =>
  inLanguage<Phrase>(PHRASES[key], lang);
