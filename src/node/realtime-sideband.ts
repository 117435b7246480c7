// The sideband of an accepted OpenAI Realtime SIP call, on Node (the SDK's WebSocket client needs `ws`):
// the model's function calls arrive here, run through the voice door, and their outputs go back,
// each followed by response.create so the model speaks the answer.
import { OpenAIRealtimeWS } from 'openai/realtime/ws';
import type * as WS from 'ws';
import type { RealtimeSideband } from '../deps.js';
import { errorMessage } from '../domain/errors.js';
import type { Logger } from '../logger.js';
import { checkedLookup, refusedLiteral } from '../security/egress-node.js';

export const nodeRealtimeSideband =
  (logger: Logger, allowPrivateTargets = false): RealtimeSideband =>
  (call) => {
    // The baseURL is the clinic's: the WebSocket obeys the same egress rule as every HTTP call.
    const refused = allowPrivateTargets ? null : refusedLiteral(new URL(call.client.baseURL));
    if (refused) {
      logger.warn('realtime_sideband_refused', { callId: call.callId, error: refused.message });
      void call.ended();
      return;
    }
    const options = allowPrivateTargets ? undefined : ({ lookup: checkedLookup } as WS.ClientOptions);
    const realtime = new OpenAIRealtimeWS({ callID: call.callId, options }, call.client);
    realtime.on('response.function_call_arguments.done', async (event) => {
      let output: string;
      try {
        output = await call.runTool(event.name, event.arguments, event.call_id);
      } catch (error) {
        logger.error('realtime_tool_failed', {
          callId: call.callId,
          tool: event.name,
          error: errorMessage(error),
        });
        output = 'The booking system is unavailable; offer to pass the call to the reception.';
      }
      realtime.send({
        type: 'conversation.item.create',
        item: { type: 'function_call_output', call_id: event.call_id, output },
      });
      realtime.send({ type: 'response.create' });
    });
    realtime.on('error', (error) => {
      logger.warn('realtime_sideband_error', { callId: call.callId, error: error.message });
    });
    realtime.socket.once('close', () => {
      call.ended().catch((error) =>
        logger.error('realtime_call_end_failed', {
          callId: call.callId,
          error: errorMessage(error),
        }),
      );
    });
  };
