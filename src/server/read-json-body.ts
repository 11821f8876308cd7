import type { IncomingMessage } from 'node:http';
import { AgentLLMError, invalidRequest } from '../errors.ts';

export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * Reads and parses a JSON request body, whatever its content type. Stops reading (and throws a
 * 413) as soon as the body exceeds `limitBytes`, so nothing past the limit is buffered.
 */
export async function readJsonBody(req: IncomingMessage, limitBytes: number): Promise<unknown> {
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
          reader.cleanup();
          chunks.length = 0;
          req.resume();
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
