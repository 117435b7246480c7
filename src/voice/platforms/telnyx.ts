// Telnyx Call Control: call events (call.initiated, call.answered, call.hangup, ...) become call
// records. Signed with Ed25519: `telnyx-signature-ed25519` (base64) over `${telnyx-timestamp}|${rawBody}`,
// checked with the account's public key.

import { fresh, TOLERANCE_MS, verifyEd25519 } from '../../security/signatures.js';
import { endCall } from '../call-log.js';
import { type PlatformAdapter, parseJson, unauthorized } from '../door.js';
import { credentialsOf } from '../integrations.js';
import { openSession } from '../session.js';

interface TelnyxEvent {
  data?: {
    event_type?: string;
    occurred_at?: string;
    payload?: {
      call_control_id?: string;
      from?: string;
      to?: string;
      direction?: 'incoming' | 'outgoing';
      start_time?: string;
      end_time?: string;
      hangup_cause?: string;
    };
  };
}

const instant = (iso: string | undefined) => (iso ? Date.parse(iso) || undefined : undefined);

// Causes after which nobody spoke with the agent.
const NOT_CONNECTED = new Set(['busy', 'call_rejected', 'timeout', 'unallocated_number', 'no_answer']);

export const telnyx: PlatformAdapter = {
  async webhook({ deps, integration, raw, headers }) {
    const { publicKey } = await credentialsOf<'telnyx'>(deps, integration);
    const timestamp = headers.get('telnyx-timestamp') ?? '';
    const signature = headers.get('telnyx-signature-ed25519') ?? '';
    if (!/^\d{1,12}$/.test(timestamp) || !fresh(timestamp, deps.clock.now(), TOLERANCE_MS))
      throw unauthorized('missing or stale telnyx-timestamp');
    if (!(await verifyEd25519(publicKey, `${timestamp}|${raw}`, signature)))
      throw unauthorized('bad telnyx-signature-ed25519');

    const event = ((parseJson(raw) ?? {}) as TelnyxEvent).data ?? {};
    const payload = event.payload ?? {};
    if (!event.event_type?.startsWith('call.') || !payload.call_control_id) return Response.json({});
    // On a call the clinic places, the patient is the number dialled.
    const outgoing = payload.direction === 'outgoing';
    const session = await openSession(deps, integration, {
      externalCallId: payload.call_control_id,
      callerRaw: (outgoing ? payload.to : payload.from) ?? null,
      calledRaw: (outgoing ? payload.from : payload.to) ?? null,
      startedAt: instant(payload.start_time) ?? instant(event.occurred_at),
    });
    if (event.event_type === 'call.hangup') {
      await endCall(deps, session.call, {
        startedAt: instant(payload.start_time),
        endedAt: instant(payload.end_time) ?? instant(event.occurred_at),
        reason: payload.hangup_cause ?? null,
        status: NOT_CONNECTED.has(payload.hangup_cause ?? '') ? 'failed' : 'completed',
      });
    }
    return Response.json({});
  },
};
