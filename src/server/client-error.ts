import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { AgentLLMError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { toErrorBody } from '../openai/to-error-body.ts';

/**
 * A request Node's HTTP parser refused before koa saw it (headers over 16 KB, a malformed request
 * line, a header timeout). Node would answer a bare status with an empty body and log nothing:
 * here the client gets an OpenAI error body and the log a warning (never the headers themselves).
 */
export function answerClientError(logger: Logger, error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable || responseStarted(socket)) {
    socket.destroy();
    return;
  }
  const refusal = describeParseError(error.code);
  logger.warn({ event: 'client_error', status: refusal.status, code: refusal.code, parserCode: error.code }, 'request refused before routing');
  const body = JSON.stringify(toErrorBody(refusal));
  socket.end(
    `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status]}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}

function describeParseError(code: string | undefined): AgentLLMError {
  if (code === 'HPE_HEADER_OVERFLOW') {
    return new AgentLLMError('request headers are too large (the limit is 16 KB in total)', { status: 431, code: 'request_header_too_large' });
  }
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return new AgentLLMError('the request did not arrive in time', { status: 408, code: 'request_timeout' });
  }
  return new AgentLLMError(`malformed HTTP request (${code ?? 'parse error'})`, { status: 400, code: 'malformed_request' });
}

/** A keep-alive connection whose previous response is being written: a status line now would corrupt it. */
function responseStarted(socket: Duplex): boolean {
  return (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
}
