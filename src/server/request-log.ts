import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.ts';
import { elapsedMs, serverTimingHeader, type AppContext, type AppMiddleware } from './state.ts';

const CLIENT_REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * Outermost middleware: assigns the request id, sets X-Request-Id and Server-Timing, and writes
 * one info line per request when it is over (method, path, status, latency, agent, user,
 * session, tokens). Never bodies, keys or header values. The line is composed when the request is
 * over and written right after koa has sent the response, so the write is not in the latency.
 */
export function createRequestLog(logger: Logger): AppMiddleware {
  return async (ctx, next) => {
    initState(ctx);
    ctx.set('X-Request-Id', ctx.state.requestId);
    try {
      await next();
    } finally {
      if (!ctx.headerSent) ctx.set('Server-Timing', serverTimingHeader(ctx.state));
      logRequest(logger, ctx);
    }
  };
}

function initState(ctx: AppContext): void {
  const incoming = ctx.get('X-Request-Id');
  ctx.state.requestId = CLIENT_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  ctx.state.startedAt = performance.now();
  ctx.state.timing = [];
  ctx.state.log = {};
}

function logRequest(logger: Logger, ctx: AppContext): void {
  if (!logger.isLevelEnabled('info')) return;
  const { log, requestId } = ctx.state;
  const line = {
    requestId,
    method: ctx.method,
    path: ctx.path,
    status: log.aborted ? 499 : ctx.respond === false ? ctx.res.statusCode : ctx.status,
    latencyMs: elapsedMs(ctx.state),
    ...log,
  };
  setImmediate(writeLine, logger, line);
}

function writeLine(logger: Logger, line: object): void {
  logger.info(line, 'request');
}
