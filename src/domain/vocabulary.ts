// The closed word lists the clinic's records use besides appointment statuses, sources and history
// actions (status.ts, source.ts, history.ts). The schema turns each into an enum column with a CHECK,
// so the database refuses a word the code does not know.

export const CLINIC_SPECIALTIES = ['dental', 'medical', 'physio', 'aesthetic', 'other'] as const;
export type ClinicSpecialty = (typeof CLINIC_SPECIALTIES)[number];

/** A clinic's subscription; only `canceled` locks it out. */
export const TENANT_STATUSES = ['trial', 'active', 'past_due', 'canceled'] as const;
export type TenantStatus = (typeof TENANT_STATUSES)[number];

export const API_KEY_MODES = ['live', 'test'] as const;
export type ApiKeyMode = (typeof API_KEY_MODES)[number];

/** Dated changes to a professional's weekly hours. */
export const SCHEDULE_EXCEPTION_KINDS = ['time_off', 'holiday', 'extra_hours'] as const;
export type ScheduleExceptionKind = (typeof SCHEDULE_EXCEPTION_KINDS)[number];

/** The voice platforms a clinic can connect (their credentials: src/voice/credentials.ts). */
export const VOICE_PLATFORMS = ['vapi', 'retell', 'elevenlabs', 'openai', 'telnyx', 'twilio'] as const;
export type VoicePlatform = (typeof VOICE_PLATFORMS)[number];

export const CALL_STATUSES = ['in_progress', 'completed', 'failed'] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

/** What a call's log records: a line of speech, a tool the agent called, or a status change. */
export const CALL_EVENT_TYPES = ['speech', 'tool_call', 'status'] as const;
export type CallEventType = (typeof CALL_EVENT_TYPES)[number];

export const SPEAKERS = ['caller', 'agent'] as const;
export type Speaker = (typeof SPEAKERS)[number];

/** An outbound webhook delivery: waiting (first try or retry), done, or given up. */
// `simulated`: a sandbox's event, recorded with what would have been sent and never sent.
export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'simulated'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** How soon a caller who left a message wants to hear back. */
export const CALLBACK_URGENCIES = ['normal', 'urgent'] as const;
export type CallbackUrgency = (typeof CALLBACK_URGENCIES)[number];
/** An outbound callback: asked of the platform, accepted by it, or refused (the key was given back). */
export const CALLBACK_STATUSES = ['dialing', 'placed', 'failed', 'uncertain'] as const;
export type CallbackStatus = (typeof CALLBACK_STATUSES)[number];
