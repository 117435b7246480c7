// What the front-desk tools say, in the four languages a clinic can pick (config.language), in the
// shape of speech.ts's PHRASES: phrase → language → function. Kept apart from speech.ts so the
// booking sentences and these can change independently.
import { DateTime } from 'luxon';
import { type Language, LOCALE } from '../../domain/language.js';

/** "segunda-feira" / "Monday" of a local instant. */
export const weekdayName = (ms: number, zone: string, lang: Language) =>
  DateTime.fromMillis(ms, { zone }).setLocale(LOCALE[lang]).toFormat('cccc');

/** "quinta-feira às 09:00" / "Thursday at 09:00"; "hoje às 14:00" when it is today. */
export function sayOpening(ms: number, now: number, zone: string, lang: Language): string {
  const at = DateTime.fromMillis(ms, { zone });
  const time = at.toFormat('HH:mm');
  const today = at.hasSame(DateTime.fromMillis(now, { zone }), 'day');
  const tomorrow = at.hasSame(DateTime.fromMillis(now, { zone }).plus({ days: 1 }), 'day');
  const day = today
    ? TODAY[lang]
    : tomorrow
      ? TOMORROW[lang]
      : at.setLocale(LOCALE[lang]).toFormat(lang === 'en' ? 'cccc d MMMM' : "cccc, d 'de' MMMM");
  return `${day} ${AT[lang]} ${time}`;
}
const TODAY: Record<Language, string> = { pt: 'hoje', 'pt-BR': 'hoje', en: 'today', es: 'hoy' };
const TOMORROW: Record<Language, string> = {
  pt: 'amanhã',
  'pt-BR': 'amanhã',
  en: 'tomorrow',
  es: 'mañana',
};
const AT: Record<Language, string> = { pt: 'às', 'pt-BR': 'às', en: 'at', es: 'a las' };

export const DESK_PHRASES = {
  address: {
    pt: (name: string, address: string) => `A ${name} fica em ${address}.`,
    'pt-BR': (name: string, address: string) => `A ${name} fica em ${address}.`,
    en: (name: string, address: string) => `${name} is at ${address}.`,
    es: (name: string, address: string) => `${name} está en ${address}.`,
  },
  noAddress: {
    pt: () => 'Não tenho a morada registada; a receção pode indicá-la.',
    'pt-BR': () => 'Não tenho o endereço cadastrado; a recepção pode informar.',
    en: () => 'I do not have the address on record; the reception can give it to you.',
    es: () => 'No tengo la dirección registrada; la recepción se la puede indicar.',
  },
  today: {
    pt: (hours: string) => `Hoje estamos abertos ${hours}.`,
    'pt-BR': (hours: string) => `Hoje estamos abertos ${hours}.`,
    en: (hours: string) => `Today we are open ${hours}.`,
    es: (hours: string) => `Hoy abrimos ${hours}.`,
  },
  closedToday: {
    pt: () => 'Hoje estamos fechados.',
    'pt-BR': () => 'Hoje estamos fechados.',
    en: () => 'We are closed today.',
    es: () => 'Hoy está cerrado.',
  },
  week: {
    pt: (days: string) => `Esta semana: ${days}.`,
    'pt-BR': (days: string) => `Esta semana: ${days}.`,
    en: (days: string) => `This week: ${days}.`,
    es: (days: string) => `Esta semana: ${days}.`,
  },
  closed: { pt: () => 'fechado', 'pt-BR': () => 'fechado', en: () => 'closed', es: () => 'cerrado' },
  span: {
    pt: (from: string, to: string) => `das ${from} às ${to}`,
    'pt-BR': (from: string, to: string) => `das ${from} às ${to}`,
    en: (from: string, to: string) => `${from} to ${to}`,
    es: (from: string, to: string) => `de ${from} a ${to}`,
  },
  dayRange: {
    pt: (first: string, last: string) => `${first} a ${last}`,
    'pt-BR': (first: string, last: string) => `${first} a ${last}`,
    en: (first: string, last: string) => `${first} to ${last}`,
    es: (first: string, last: string) => `${first} a ${last}`,
  },
  // Said after the address and today's hours when the caller asked nothing in particular: the rest
  // is one question away, so the answer stays short.
  askMore: {
    pt: () => 'Posso dizer-lhe o horário da semana ou os serviços e preços.',
    'pt-BR': () => 'Posso informar o horário da semana ou os serviços e preços.',
    en: () => "I can tell you this week's hours or the services and prices.",
    es: () => 'Puedo decirle el horario de la semana o los servicios y precios.',
  },
  messageTaken: {
    pt: (when: string) => `Mensagem registada. A clínica vai ligar-lhe de volta${when}.`,
    'pt-BR': (when: string) => `Recado anotado. A clínica vai retornar a ligação${when}.`,
    en: (when: string) => `Message taken. The clinic will call you back${when}.`,
    es: (when: string) => `Mensaje anotado. La clínica le devolverá la llamada${when}.`,
  },
  asSoonAsPossible: {
    pt: () => ' logo que possível',
    'pt-BR': () => ' assim que possível',
    en: () => ' as soon as possible',
    es: () => ' lo antes posible',
  },
  messageNoNumber: {
    pt: () => 'Para lhe ligarmos de volta preciso de um número. Qual é?',
    'pt-BR': () => 'Para retornarmos a ligação preciso de um número. Qual é?',
    en: () => 'To call you back I need a number. What is it?',
    es: () => 'Para devolverle la llamada necesito un número. ¿Cuál es?',
  },
  messageBadNumber: {
    pt: () => 'Esse número não parece válido. Pode repetir, com o indicativo?',
    'pt-BR': () => 'Esse número não parece válido. Pode repetir, com o DDD?',
    en: () => 'That number does not look valid. Could you repeat it, with the country code?',
    es: () => 'Ese número no parece válido. ¿Puede repetirlo, con el prefijo?',
  },
  messageNeedsWho: {
    pt: () => 'Qual é o seu nome e o motivo da mensagem?',
    'pt-BR': () => 'Qual é o seu nome e o motivo do recado?',
    en: () => 'What is your name, and what is the message about?',
    es: () => '¿Cuál es su nombre y el motivo del mensaje?',
  },
  busy: {
    pt: () => 'Houve um problema ao guardar. Pode repetir daqui a pouco?',
    'pt-BR': () => 'Houve um problema ao salvar. Pode repetir daqui a pouco?',
    en: () => 'Something went wrong while saving. Could you try again in a moment?',
    es: () => 'Hubo un problema al guardar. ¿Puede repetirlo en un momento?',
  },
  transferring: {
    pt: () => 'Vou passar a chamada para a receção. Um momento, por favor.',
    'pt-BR': () => 'Vou transferir a ligação para a recepção. Um momento, por favor.',
    en: () => 'I am putting you through to the reception. One moment, please.',
    es: () => 'Le paso con la recepción. Un momento, por favor.',
  },
  transferFailed: {
    pt: () => 'Não consegui passar a chamada agora. Posso deixar uma mensagem para lhe ligarem de volta?',
    'pt-BR': () => 'Não consegui transferir a ligação agora. Posso anotar um recado para retornarem?',
    en: () => 'I could not put you through just now. Shall I take a message for a callback?',
    es: () => 'No he podido pasarle la llamada ahora. ¿Quiere que deje un mensaje para que le llamen?',
  },
  closedNow: {
    pt: (opens: string) =>
      `A receção está fechada. Abre ${opens}. Posso deixar uma mensagem para lhe ligarem de volta?`,
    'pt-BR': (opens: string) =>
      `A recepção está fechada. Abre ${opens}. Posso anotar um recado para retornarem a ligação?`,
    en: (opens: string) =>
      `The reception is closed. It opens ${opens}. Shall I take a message for a callback?`,
    es: (opens: string) =>
      `La recepción está cerrada. Abre ${opens}. ¿Quiere que deje un mensaje para que le llamen?`,
  },
  closedNoOpening: {
    pt: () => 'A receção está fechada. Posso deixar uma mensagem para lhe ligarem de volta?',
    'pt-BR': () => 'A recepção está fechada. Posso anotar um recado para retornarem a ligação?',
    en: () => 'The reception is closed. Shall I take a message for a callback?',
    es: () => 'La recepción está cerrada. ¿Quiere que deje un mensaje para que le llamen?',
  },
  noHuman: {
    pt: () =>
      'Não consigo passar a chamada: a clínica não tem um número de receção configurado. Posso deixar uma mensagem para lhe ligarem de volta?',
    'pt-BR': () =>
      'Não consigo transferir a ligação: a clínica não tem um número de recepção configurado. Posso anotar um recado para retornarem?',
    en: () =>
      'I cannot put you through: the clinic has no reception number set up. Shall I take a message for a callback?',
    es: () =>
      'No puedo pasarle la llamada: la clínica no tiene un número de recepción configurado. ¿Quiere que deje un mensaje para que le llamen?',
  },
  emergency: {
    pt: (number: string) =>
      `Isso pode ser uma emergência. Desligue e ligue já para o ${number}. Não vou marcar consulta para isto.`,
    'pt-BR': (number: string) =>
      `Isso pode ser uma emergência. Desligue e ligue agora para o ${number}. Não vou agendar consulta para isso.`,
    en: (number: string) =>
      `This may be an emergency. Please hang up and call ${number} now. I will not book an appointment for this.`,
    es: (number: string) =>
      `Esto puede ser una emergencia. Cuelgue y llame ya al ${number}. No voy a reservar cita para esto.`,
  },
  noRedFlags: {
    pt: () => 'Nada indica uma emergência; pode seguir com a marcação ou a mensagem.',
    'pt-BR': () => 'Nada indica uma emergência; pode seguir com o agendamento ou o recado.',
    en: () => 'Nothing points to an emergency; carry on with the booking or the message.',
    es: () => 'Nada indica una emergencia; puede seguir con la cita o el mensaje.',
  },
} as const;

export type DeskPhrase = keyof typeof DESK_PHRASES;

/** The sentence builder of a phrase in the session's language. */
export const deskSay = <K extends DeskPhrase>(lang: Language, key: K) =>
  DESK_PHRASES[key][lang] as (...args: string[]) => string;
