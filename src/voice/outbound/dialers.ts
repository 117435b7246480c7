// The dialer of each platform that can place outbound calls.
import type { DialPlatform } from './config.js';
import type { Dialer } from './dial.js';
import { dialRetell } from './retell.js';
import { dialTelnyx } from './telnyx.js';
import { dialTwilio } from './twilio.js';
import { dialVapi } from './vapi.js';

export const DIALERS: { [P in DialPlatform]: Dialer<P> } = {
  vapi: dialVapi,
  retell: dialRetell,
  twilio: dialTwilio,
  telnyx: dialTelnyx,
};
