import { createHash, timingSafeEqual } from 'node:crypto';
import { AgentLLMError } from '../errors.ts';
import type { AppMiddleware } from './state.ts';

/**
 * Requires `Authorization: Bearer <apiKey>`. Compares SHA-256 digests in constant time, so neither
 * the content nor the length of the key leaks through timing.
 */
export function createAuth(apiKey: string): AppMiddleware {
  if (!apiKey) throw new Error('createAuth: apiKey must not be empty');
  const expected = digest(apiKey);
  return async (ctx, next) => {
    const presented = readBearer(ctx.get('Authorization'));
    if (presented === undefined) throw unauthorized('Missing API key: send "Authorization: Bearer <key>".');
    if (!timingSafeEqual(digest(presented), expected)) throw unauthorized('Incorrect API key provided.');
    await next();
  };
}

/** Whether an Authorization header carries `apiKey` (for routes open to all that show more to the key's holder). */
export function createKeyCheck(apiKey: string): (authorization: string) => boolean {
  const expected = digest(apiKey);
  return (authorization) => {
    const presented = readBearer(authorization);
    return presented !== undefined && timingSafeEqual(digest(presented), expected);
  };
}

function readBearer(header: string): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  return match?.[1]?.trim();
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function unauthorized(message: string): AgentLLMError {
  return new AgentLLMError(message, { status: 401, code: 'invalid_api_key' });
}
