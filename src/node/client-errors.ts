// Requests Node's HTTP parser refuses before any route runs (headers over 16 KiB, broken request
// lines, invalid header bytes): answered in the same envelope as every other error (built by the one
// error handler), then closed. Without this, Node writes a bare status line with no body.
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { AppError } from '../domain/errors.js';
import { errorAnswer } from '../http/error-handler.js';
import { statusOf } from '../http/errors.js';
import type { Logger } from '../logger.js';

const REFUSALS: Record<string, () => AppError> = {
  HPE_HEADER_OVERFLOW: () =>
    new AppError('headers_too_large', 'The request line and headers must stay under 16 KiB'),
  ERR_HTTP_REQUEST_TIMEOUT: () => new AppError('request_timeout', 'The request took too long to arrive'),
};

const malformed = () => new AppError('malformed_request', 'The request is not valid HTTP');

/** The raw HTTP/1.1 bytes of an error answer that closes the connection. */
export function rawErrorAnswer(error: AppError, requestId: string): string {
  const { status, headers, body } = errorAnswer(error, requestId);
  const head = Object.entries({
    ...headers,
    'Content-Length': String(Buffer.byteLength(body)),
    Connection: 'close',
  }).map(([name, value]) => `${name}: ${value}\r\n`);
  return `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n${head.join('')}\r\n${body}`;
}

/** Handler for the Node server's `clientError` event. */
export const answerClientError = (logger: Logger) => (error: NodeJS.ErrnoException, socket: Socket) => {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const refusal = (REFUSALS[error.code ?? ''] ?? malformed)();
  const requestId = crypto.randomUUID();
  // Only the parser's code: the raw bytes may carry a patient's phone.
  logger.warn('client_error', { requestId, code: error.code, status: statusOf(refusal.code) });
  socket.end(rawErrorAnswer(refusal, requestId));
};
