import { AgentLLMError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { toErrorBody } from '../openai/to-error-body.ts';
import { throwIfUnanswered } from './routes/fallback.ts';
import type { AppContext, AppMiddleware } from './state.ts';

/**
 * The one place errors become responses: AgentLLMError as is, http errors (koa, router) with
 * their status, a request no route answered as a 404/405, anything else as a 500 "internal
 * error" (stack logged, never sent). The error's code goes into the request log line.
 */
export function createErrorMiddleware(logger: Logger): AppMiddleware {
  return async (ctx, next) => {
    try {
      await next();
      throwIfUnanswered(ctx);
    } catch (caught) {
      const error = normalizeError(caught);
      logFailure(logger, ctx, caught, error, 'request failed');
      if (ctx.headerSent || !ctx.writable) return;
      ctx.status = error.status;
      ctx.body = toErrorBody(error);
      if (error.retryAfter !== undefined) ctx.set('Retry-After', String(error.retryAfter));
      // A body over the limit is not read to its end (a chunked one may never end): the connection closes after the answer.
      if (error.status === 413) ctx.set('Connection', 'close');
      if (!clientMayRetry(error)) ctx.set('x-should-retry', 'false');
    }
  };
}

/**
 * Whether a client's own retry could help. The official SDKs retry 408, 409, 429 and 5xx by
 * themselves (`x-should-retry` overrides that): after our retries of the model call, theirs would
 * only multiply the calls to Gemini (3 of ours times 3 of theirs), and a bug or an unreadable
 * file fails the same way again. Only a cut by a shutting-down server is worth sending again.
 */
function clientMayRetry(error: AgentLLMError): boolean {
  if (error.status !== 429 && error.status < 500) return true;
  return error.code === 'server_shutting_down';
}

/**
 * One rule for a failed request, whether its stream had started or not: an internal error (a bug)
 * at error level with its stack; an expected failure (upstream down, rate limited, missing key) as
 * a warning without stack; a rejected client request at debug. The request line gets the code.
 */
export function logFailure(logger: Logger, ctx: AppContext, caught: unknown, error: AgentLLMError, msg: string): void {
  const requestId = ctx.state.requestId;
  ctx.state.log.error = error.code ?? error.type;
  if (error.code === 'internal_error') logger.error({ err: caught, requestId }, msg);
  else if (error.status >= 500 || error.code?.startsWith('upstream_')) {
    logger.warn({ requestId, status: error.status, code: error.code, message: error.message }, msg);
  } else logger.debug({ requestId, status: error.status, code: error.code, message: error.message }, msg === 'request failed' ? 'request rejected' : msg);
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
