// Where a booking came from. A voice agent or the public booking page keeps to the clinic's booking
// window; a receptionist (manual) or the clinic's PMS (sync_external) may book outside it.

export const APPOINTMENT_SOURCES = ['voice_ai', 'manual', 'self_service', 'sync_external'] as const;
export type AppointmentSource = (typeof APPOINTMENT_SOURCES)[number];

/**
 * Through which channel an appointment's confirmation came: a door's source, or the patient's own
 * link or reply to a message (src/web/appointment-*.ts, src/messaging/replies.ts).
 */
export const CONFIRMATION_CHANNELS = [
  ...APPOINTMENT_SOURCES,
  'patient_link',
  'sms_reply',
  'whatsapp_reply',
] as const;
export type ConfirmationChannel = (typeof CONFIRMATION_CHANNELS)[number];
