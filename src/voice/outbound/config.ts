// What each platform needs to place a callback, beside its API secret (kept sealed with the other
// credentials in src/voice/credentials.ts). Nothing here is secret: the integration shows it back.
import { z } from 'zod';
import type { Platform } from '../credentials.js';

const e164 = () =>
  z
    .string()
    .regex(/^\+[1-9]\d{1,14}$/, 'E.164, e.g. +351210000000')
    .describe('The number the callback comes from (one of your numbers on the platform)');
const platformId = (what: string) =>
  z
    .string()
    .min(1)
    .max(200)
    .regex(/^[\w.:-]+$/, 'Letters, digits and . _ : - only')
    .describe(what);

export const OUTBOUND = {
  vapi: z
    .object({
      assistantId: platformId('The Vapi assistant that speaks on the callback'),
      phoneNumberId: platformId('The Vapi phone number id the callback is placed from'),
    })
    .strict(),
  retell: z
    .object({
      fromNumber: e164(),
      agentId: platformId('Agent for the callback (default: the outbound agent of fromNumber)').optional(),
    })
    .strict(),
  twilio: z
    .object({
      accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'AC followed by 32 hex digits'),
      fromNumber: e164(),
      twimlUrl: z
        .url({ protocol: /^https?$/ })
        .max(2000)
        .describe('Your voice application: Twilio fetches its TwiML when the patient answers'),
    })
    .strict(),
  telnyx: z
    .object({
      connectionId: platformId('The Call Control application (connection) id'),
      fromNumber: e164(),
    })
    .strict(),
} as const;

export type DialPlatform = keyof typeof OUTBOUND;
export const DIAL_PLATFORMS = Object.keys(OUTBOUND) as DialPlatform[];
export type OutboundConfig<P extends DialPlatform> = z.infer<(typeof OUTBOUND)[P]>;

export const canDial = (platform: Platform): platform is DialPlatform =>
  (DIAL_PLATFORMS as string[]).includes(platform);

/** The secret each platform's API takes, named as in the integration's credentials. */
export const API_SECRET: Record<DialPlatform, string> = {
  vapi: 'apiKey',
  retell: 'apiKey',
  twilio: 'authToken',
  telnyx: 'apiKey',
};
