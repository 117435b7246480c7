// Where a booking came from. A voice agent or the public booking page keeps to the clinic's booking
// window; a receptionist (manual) or the clinic's PMS (sync_external) may book outside it.

export const APPOINTMENT_SOURCES = ['voice_ai', 'manual', 'self_service', 'sync_external'] as const;
export type AppointmentSource = (typeof APPOINTMENT_SOURCES)[number];
