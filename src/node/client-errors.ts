// Requests Node's HTTP parser refuses before any route runs (headers over 16 KiB, broken request
// lines, invalid header bytes): answered in the same envelope as every other error, then closed.
// Without this, Node writes a bare status line with no body.
import type { Socket } from 'node:net';
import type { Logger } from '../logger.js';

const REFUSALS: Record<string, { status: number; reason: string; error: string; message: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    reason: 'Request Header Fields Too Large',
    error: 'headers_too_large',
    message: 'The request line and headers must stay under 16 KiB',
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    reason: 'Request Timeout',
    error: 'request_timeout',
    message: 'The request took too long to arrive',
  },
};

const MALFORMED = {
  status: 400,
  reason: 'Bad Request',
  error: 'malformed_request',
  message: 'The request is not valid HTTP',
};

/** Handler for the Node server's `clientError` event. */
export const answerClientError = (logger: Logger) => (error: NodeJS.ErrnoException, socket: Socket) => {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const refusal = REFUSALS[error.code ?? ''] ?? MALFORMED;
  const requestId = crypto.randomUUID();
  // Only the parser's code: the raw bytes may carry a patient's phone.
  logger.warn('client_error', { requestId, code: error.code, status: refusal.status });
  const body = JSON.stringify({ error: refusal.error, message: refusal.message, requestId, errors: [] });
  socket.end(
    `HTTP/1.1 ${refusal.status} ${refusal.reason}\r\n` +
      'Content-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      `X-Request-Id: ${requestId}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
};
