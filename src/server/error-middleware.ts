import { AgentLLMError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { toErrorBody } from '../openai/to-error-body.ts';
import type { AppMiddleware } from './state.ts';

/**
 * The one place errors become responses: AgentLLMError as is, http errors (koa, router) with
 * their status, anything else as a 500 "internal error" (stack logged, never sent). Our own
 * errors are expected conditions (upstream down, missing key): logged as a warning, without stack.
 */
export function createErrorMiddleware(logger: Logger): AppMiddleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (caught) {
      const error = normalizeError(caught);
      if (!(caught instanceof AgentLLMError) && error.status >= 500) logger.error({ err: caught, requestId: ctx.state.requestId }, 'request failed');
      else if (error.status >= 500) logger.warn({ requestId: ctx.state.requestId, status: error.status, code: error.code, message: error.message }, 'request failed');
      else logger.debug({ requestId: ctx.state.requestId, message: error.message }, 'request rejected');
      if (ctx.headerSent || !ctx.writable) return;
      ctx.status = error.status;
      ctx.body = toErrorBody(error);
      if (error.retryAfter !== undefined) ctx.set('Retry-After', String(error.retryAfter));
    }
  };
}

interface HttpErrorLike {
  status: number;
  expose?: boolean;
  message: string;
  headers?: Record<string, string>;
}

function isHttpError(value: unknown): value is HttpErrorLike {
  const status = (value as { status?: unknown } | null)?.status;
  return value instanceof Error && typeof status === 'number' && status >= 400 && status < 600;
}

/** Any thrown value -> AgentLLMError; only errors meant for clients keep their message. */
export function normalizeError(value: unknown): AgentLLMError {
  if (value instanceof AgentLLMError) return value;
  if (isHttpError(value) && value.status < 500 && value.expose !== false) {
    return new AgentLLMError(value.message, { status: value.status, code: codeForStatus(value.status) });
  }
  return new AgentLLMError('internal error', { status: 500, code: 'internal_error' });
}

function codeForStatus(status: number): string | null {
  if (status === 404) return 'not_found';
  if (status === 405) return 'method_not_allowed';
  if (status === 413) return 'request_too_large';
  return null;
}
