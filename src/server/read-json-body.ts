import type { IncomingMessage } from 'node:http';
import { AgentLLMError, invalidRequest } from '../errors.ts';

export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * Reads and parses a JSON request body. Only `application/json` (or `application/*+json`) is
 * read: a browser sends other types (text/plain, forms) from any web page without a CORS
 * preflight, so accepting them would let any site drive the API. Stops reading (and throws a
 * 413) as soon as the body exceeds `limitBytes`, so nothing past the limit is buffered, nor read:
 * the error middleware closes the connection after the 413.
 */
export async function readJsonBody(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  checkContentType(req.headers['content-type']);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) throw tooLarge(limitBytes);
  const raw = await readRaw(req, limitBytes);
  if (raw.trim() === '') throw invalidRequest('request body is empty: send a JSON object', null, 'invalid_json');
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw invalidRequest(`request body is not valid JSON: ${(error as Error).message}`, null, 'invalid_json');
  }
}

const JSON_TYPE = /^application\/(?:json|[\w.+-]+\+json)\s*(?:;|$)/i;

function checkContentType(header: string | undefined): void {
  if (header !== undefined && JSON_TYPE.test(header.trim())) return;
  const sent = header === undefined || header.trim() === '' ? 'no Content-Type' : `Content-Type ${header}`;
  throw new AgentLLMError(`request body must be JSON sent with Content-Type: application/json (got ${sent})`, {
    status: 415,
    code: 'unsupported_media_type',
  });
}

function readRaw(req: IncomingMessage, limitBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // Methods rather than arrow functions in constants: tsx (esbuild `keepNames`) wraps every named
    // closure in a defineProperty call, paid again on each request.
    const reader = {
      cleanup(): void {
        req.off('data', reader.onData);
        req.off('end', reader.onEnd);
        req.off('error', reader.onError);
      },
      onData(chunk: Buffer): void {
        size += chunk.length;
        if (size > limitBytes) {
          // Nothing more is read: the 413 goes out with Connection: close and the connection ends.
          reader.cleanup();
          chunks.length = 0;
          req.pause();
          reject(tooLarge(limitBytes));
          return;
        }
        chunks.push(chunk);
      },
      onEnd(): void {
        reader.cleanup();
        // A small body usually arrives in one chunk: decode it without copying it first.
        resolve((chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8'));
      },
      onError(error: Error): void {
        reader.cleanup();
        reject(invalidRequest(`could not read the request body: ${error.message}`));
      },
    };
    req.on('data', reader.onData);
    req.on('end', reader.onEnd);
    req.on('error', reader.onError);
  });
}

function tooLarge(limitBytes: number): AgentLLMError {
  return new AgentLLMError(`request body is larger than the limit of ${limitBytes} bytes`, {
    status: 413,
    code: 'request_too_large',
  });
}
