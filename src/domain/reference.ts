// An appointment's short reference: what the booking page shows the patient and the voice agent passes
// back to cancel or move an appointment, so nobody has to name it by its time. It is the first eight
// hex digits of the id, upper case. It is not a secret and grants nothing: every door matches it only
// against the appointments the caller may already see (their own number's), where eight random hex
// digits do not collide in practice.
export const appointmentReference = (id: string) => id.replace(/-/g, '').slice(0, 8).toUpperCase();

/** The reference as said or typed ("1a2b 3c4d", "ref. 1A2B-3C4D"): its hex digits, upper case. */
export const normalisedReference = (said: string) =>
  said
    .toUpperCase()
    // "REF" cannot be part of a reference (R is not a hex digit), so it is dropped wherever it is.
    .replace(/REF/g, '')
    .replace(/[^0-9A-F]/g, '');

export const hasReference = (id: string, said: string) =>
  normalisedReference(said) === appointmentReference(id);
