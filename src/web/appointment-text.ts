// What the patient's appointment page says, in the clinic's language (as the booking page).
import type { Language } from '../domain/language.js';

export interface AppointmentText {
  title: string;
  service: string;
  professional: string;
  when: string;
  clinic: string;
  pending: string;
  confirmed: string;
  cancelled: string;
  past: string;
  confirm: string;
  cancel: string;
  cancelSure: string;
  move: string;
  day: string;
  loading: string;
  noSlots: string;
  moveHere: string;
  taken: string;
  failed: string;
  invalid: string;
  expired: string;
}

export const APPOINTMENT_TEXT: Record<Language, AppointmentText> = {
  pt: {
    title: 'A sua consulta',
    service: 'Consulta',
    professional: 'Com',
    when: 'Quando',
    clinic: 'Onde',
    pending: 'Confirme a sua presença, ou cancele ou mude a hora se não puder vir.',
    confirmed: 'Consulta confirmada. Obrigado!',
    cancelled: 'Esta consulta foi cancelada.',
    past: 'Esta consulta já passou.',
    confirm: 'Confirmar presença',
    cancel: 'Cancelar consulta',
    cancelSure: 'Sim, cancelar',
    move: 'Escolher outra hora',
    day: 'Dia',
    loading: 'A procurar vagas…',
    noSlots: 'Não há vagas neste dia. Escolha outro dia.',
    moveHere: 'Mudar para esta hora',
    taken: 'Essa hora acabou de ser ocupada. Escolha outra, por favor.',
    failed: 'Não foi possível. Tente de novo ou ligue para a clínica.',
    invalid: 'Este link não é válido.',
    expired: 'Este link expirou. A clínica envia um novo em cada mensagem.',
  },
  'pt-BR': {
    title: 'Sua consulta',
    service: 'Consulta',
    professional: 'Com',
    when: 'Quando',
    clinic: 'Onde',
    pending: 'Confirme sua presença, ou cancele ou mude o horário se não puder vir.',
    confirmed: 'Consulta confirmada. Obrigado!',
    cancelled: 'Esta consulta foi cancelada.',
    past: 'Esta consulta já passou.',
    confirm: 'Confirmar presença',
    cancel: 'Cancelar consulta',
    cancelSure: 'Sim, cancelar',
    move: 'Escolher outro horário',
    day: 'Dia',
    loading: 'Buscando horários…',
    noSlots: 'Não tem horário neste dia. Escolha outro dia.',
    moveHere: 'Mudar para este horário',
    taken: 'Esse horário acabou de ser ocupado. Escolha outro, por favor.',
    failed: 'Não foi possível. Tente de novo ou ligue para a clínica.',
    invalid: 'Este link não é válido.',
    expired: 'Este link expirou. A clínica envia um novo em cada mensagem.',
  },
  en: {
    title: 'Your appointment',
    service: 'Appointment',
    professional: 'With',
    when: 'When',
    clinic: 'Where',
    pending: "Please confirm you are coming, or cancel or move it if you can't make it.",
    confirmed: 'Appointment confirmed. Thank you!',
    cancelled: 'This appointment was cancelled.',
    past: 'This appointment has passed.',
    confirm: "Confirm I'm coming",
    cancel: 'Cancel appointment',
    cancelSure: 'Yes, cancel it',
    move: 'Pick another time',
    day: 'Day',
    loading: 'Looking for free times…',
    noSlots: 'Nothing is free on this day. Please pick another day.',
    moveHere: 'Move to this time',
    taken: 'That time was just taken. Please pick another.',
    failed: 'That did not work. Please try again or call the clinic.',
    invalid: 'This link is not valid.',
    expired: 'This link has expired. The clinic sends a new one with each message.',
  },
  es: {
    title: 'Su cita',
    service: 'Cita',
    professional: 'Con',
    when: 'Cuándo',
    clinic: 'Dónde',
    pending: 'Confirme su asistencia, o cancele o cambie la hora si no puede venir.',
    confirmed: 'Cita confirmada. ¡Gracias!',
    cancelled: 'Esta cita fue cancelada.',
    past: 'Esta cita ya pasó.',
    confirm: 'Confirmar asistencia',
    cancel: 'Cancelar cita',
    cancelSure: 'Sí, cancelar',
    move: 'Elegir otra hora',
    day: 'Día',
    loading: 'Buscando horas libres…',
    noSlots: 'No hay horas libres este día. Elija otro día.',
    moveHere: 'Cambiar a esta hora',
    taken: 'Esa hora acaba de ocuparse. Elija otra, por favor.',
    failed: 'No se pudo. Inténtelo de nuevo o llame a la clínica.',
    invalid: 'Este enlace no es válido.',
    expired: 'Este enlace ha caducado. La clínica envía uno nuevo con cada mensaje.',
  },
};
