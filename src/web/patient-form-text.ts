// What the triage and feedback pages say, in the clinic's language (the questions themselves are the
// clinic's own words).
import type { Language } from '../domain/language.js';

/** Shared by both forms: what the page's script says, and the page for a link that does not open. */
interface FormText {
  title: string;
  send: string;
  missing: string;
  failed: string;
  invalid: string;
  expired: string;
}

export interface TriageText extends FormText {
  intro: string;
  yes: string;
  no: string;
  optional: string;
  done: string;
  closed: string;
}

export interface FeedbackText extends FormText {
  intro: string;
  rating: string;
  comment: string;
  done: string;
  closed: string;
}

export const TRIAGE_TEXT: Record<Language, TriageText> = {
  pt: {
    title: 'Perguntas antes da consulta',
    intro: 'Responda, por favor, antes da sua consulta. Só a clínica vê as respostas.',
    yes: 'Sim',
    no: 'Não',
    optional: '(opcional)',
    send: 'Enviar respostas',
    done: 'Obrigado! As suas respostas foram enviadas à clínica.',
    closed: 'Esta consulta já passou ou foi cancelada.',
    missing: 'Responda às perguntas obrigatórias, por favor.',
    failed: 'Não foi possível enviar. Tente de novo ou ligue para a clínica.',
    invalid: 'Este link não é válido.',
    expired: 'Este link expirou: as perguntas fecham quando a consulta começa.',
  },
  'pt-BR': {
    title: 'Perguntas antes da consulta',
    intro: 'Por favor, responda antes da sua consulta. Só a clínica vê as respostas.',
    yes: 'Sim',
    no: 'Não',
    optional: '(opcional)',
    send: 'Enviar respostas',
    done: 'Obrigado! Suas respostas foram enviadas à clínica.',
    closed: 'Esta consulta já passou ou foi cancelada.',
    missing: 'Por favor, responda às perguntas obrigatórias.',
    failed: 'Não foi possível enviar. Tente de novo ou ligue para a clínica.',
    invalid: 'Este link não é válido.',
    expired: 'Este link expirou: as perguntas fecham quando a consulta começa.',
  },
  en: {
    title: 'Questions before your appointment',
    intro: 'Please answer before your appointment. Only the clinic sees your answers.',
    yes: 'Yes',
    no: 'No',
    optional: '(optional)',
    send: 'Send answers',
    done: 'Thank you! Your answers were sent to the clinic.',
    closed: 'This appointment is over or was cancelled.',
    missing: 'Please answer the required questions.',
    failed: 'That did not work. Try again or call the clinic.',
    invalid: 'This link is not valid.',
    expired: 'This link has expired: the questions close when the appointment starts.',
  },
  es: {
    title: 'Preguntas antes de su cita',
    intro: 'Por favor, responda antes de su cita. Solo la clínica ve sus respuestas.',
    yes: 'Sí',
    no: 'No',
    optional: '(opcional)',
    send: 'Enviar respuestas',
    done: '¡Gracias! Sus respuestas se enviaron a la clínica.',
    closed: 'Esta cita ya pasó o fue cancelada.',
    missing: 'Por favor, responda a las preguntas obligatorias.',
    failed: 'No se pudo enviar. Inténtelo de nuevo o llame a la clínica.',
    invalid: 'Este enlace no es válido.',
    expired: 'Este enlace ha caducado: las preguntas se cierran cuando empieza la cita.',
  },
};

export const FEEDBACK_TEXT: Record<Language, FeedbackText> = {
  pt: {
    title: 'A sua opinião',
    intro: 'Como correu a sua consulta?',
    rating: 'De 1 (mau) a 5 (excelente)',
    comment: 'Comentário (opcional)',
    send: 'Enviar',
    done: 'Obrigado pela sua opinião!',
    closed: 'Só é possível avaliar uma consulta a que compareceu.',
    missing: 'Escolha uma nota de 1 a 5.',
    failed: 'Não foi possível enviar. Tente de novo.',
    invalid: 'Este link não é válido.',
    expired: 'Este link expirou.',
  },
  'pt-BR': {
    title: 'Sua opinião',
    intro: 'Como foi a sua consulta?',
    rating: 'De 1 (ruim) a 5 (excelente)',
    comment: 'Comentário (opcional)',
    send: 'Enviar',
    done: 'Obrigado pela sua opinião!',
    closed: 'Só é possível avaliar uma consulta à qual você compareceu.',
    missing: 'Escolha uma nota de 1 a 5.',
    failed: 'Não foi possível enviar. Tente de novo.',
    invalid: 'Este link não é válido.',
    expired: 'Este link expirou.',
  },
  en: {
    title: 'Your feedback',
    intro: 'How did your appointment go?',
    rating: 'From 1 (poor) to 5 (excellent)',
    comment: 'Comment (optional)',
    send: 'Send',
    done: 'Thank you for your feedback!',
    closed: 'Only an appointment you attended can be rated.',
    missing: 'Pick a rating from 1 to 5.',
    failed: 'That did not work. Try again.',
    invalid: 'This link is not valid.',
    expired: 'This link has expired.',
  },
  es: {
    title: 'Su opinión',
    intro: '¿Qué tal fue su cita?',
    rating: 'De 1 (mala) a 5 (excelente)',
    comment: 'Comentario (opcional)',
    send: 'Enviar',
    done: '¡Gracias por su opinión!',
    closed: 'Solo se puede valorar una cita a la que asistió.',
    missing: 'Elija una nota de 1 a 5.',
    failed: 'No se pudo enviar. Inténtelo de nuevo.',
    invalid: 'Este enlace no es válido.',
    expired: 'Este enlace ha caducado.',
  },
};
