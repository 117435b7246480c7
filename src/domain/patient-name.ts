// The patient-name rule, the same at every door (REST, voice, booking page): what a receptionist
// would write on the appointment card. Spaces around and inside are tidied; a name needs at least two
// characters (a lone initial is not enough to greet the patient or find them later).
import { fieldInvalid } from './errors.js';

export const PATIENT_NAME = { min: 2, max: 200 } as const;

const tidy = (raw: string) => raw.trim().replace(/\s+/g, ' ');

function problem(name: string): string | null {
  if (name.length < PATIENT_NAME.min) return `At least ${PATIENT_NAME.min} characters`;
  if (name.length > PATIENT_NAME.max) return `At most ${PATIENT_NAME.max} characters`;
  return null;
}

/** The name as stored, or a validation_failed on `patientName`. */
export function patientName(raw: string): string {
  const name = tidy(raw);
  const wrong = problem(name);
  if (wrong) throw fieldInvalid('patientName', wrong);
  return name;
}

export const isPatientName = (raw: string) => problem(tidy(raw)) === null;
