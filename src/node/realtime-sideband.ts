// The sideband of an accepted OpenAI Realtime SIP call, on Node (the SDK's WebSocket client needs `ws`):
// the model's function calls arrive here, run through the voice door, and their outputs go back,
// each followed by response.create so the model speaks the answer.
import { OpenAIRealtimeWS } from 'openai/realtime/ws';
import type { RealtimeSideband } from '../deps.js';
import type { Logger } from '../logger.js';

export const nodeRealtimeSideband =
  (logger: Logger): RealtimeSideband =>
  (call) => {
    const realtime = new OpenAIRealtimeWS({ callID: call.callId }, call.client);
    realtime.on('response.function_call_arguments.done', async (event) => {
      let output: string;
      try {
        output = await call.runTool(event.name, event.arguments, event.call_id);
      } catch (error) {
        logger.error('realtime_tool_failed', {
          callId: call.callId,
          tool: event.name,
          error: error instanceof Error ? error.message : String(error),
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
          error: error instanceof Error ? error.message : String(error),
        }),
      );
    });
  };
