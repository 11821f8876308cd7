import type { Next } from 'koa';
import type { LoadedAgent } from '../../config/definitions.ts';
import type { Logger } from '../../logger.ts';
import { parseChatRequest, type ParsedChatRequest } from '../../openai/parse-chat-request.ts';
import { createCompletionId } from '../../openai/to-completion.ts';
import { compileChatRequestValidator } from '../../openai/validate-chat-request.ts';
import type { Registry } from '../../registry/registry.ts';
import { createTurnMeter, upstreamMsOf, type RunTurn, type TurnRequest } from '../../run/turn.ts';
import { watchDisconnect } from '../disconnect-signal.ts';
import { resolveIdentity } from '../identity.ts';
import { readJsonBody } from '../read-json-body.ts';
import { addTiming, elapsedMs, type AppContext } from '../state.ts';
import { collectTurn } from './collect-turn.ts';
import { findAgent } from './models.ts';
import { streamTurn } from './stream-turn.ts';

export interface ChatRouteOptions {
  registry: Registry;
  runTurn: RunTurn;
  logger: Logger;
  bodyLimitBytes: number;
  heartbeatMs: number;
}

/** POST /v1/chat/completions: one turn of an agent, as one completion or as an SSE stream. */
export function createChatCompletions(options: ChatRouteOptions): (ctx: AppContext) => Promise<void> {
  compileChatRequestValidator();
  return async (ctx) => {
    const snapshot = options.registry.current();
    const parsed = parseChatRequest(await readJsonBody(ctx.req, options.bodyLimitBytes));
    const agent = findAgent(snapshot, parsed.model);
    const disconnect = watchDisconnect(ctx.res);
    const meter = createTurnMeter();
    try {
      const request = buildTurnRequest(ctx, parsed, agent, { snapshot, signal: disconnect.signal, meter });
      const turn = {
        ctx,
        base: completionBase(agent),
        startRun() {
          return options.runTurn(request);
        },
        signal: disconnect.signal,
        meter,
      };
      if (parsed.stream) {
        await streamTurn({ ...turn, includeUsage: parsed.includeUsage, heartbeatMs: options.heartbeatMs, logger: options.logger });
      } else {
        await collectTurn(turn);
      }
    } finally {
      // Success or failure: the upstream/app split of a response whose headers are still to go
      // (a stream that opened has put it in its headers already).
      if (!ctx.headerSent) addTiming(ctx.state.timing, upstreamMsOf(meter), elapsedMs(ctx.state));
      ctx.state.log.tokens = meter.usage.totalTokens;
      disconnect.dispose();
      // A client that hung up may leave its socket half-open: close it rather than wait for it.
      if (disconnect.signal.aborted && !ctx.res.writableEnded) ctx.res.destroy();
    }
  };
}

/**
 * Runs before auth on the chat route: every chat request's log line has these, even one rejected
 * (401, bad body) before its body is understood.
 */
export async function initChatLog(ctx: AppContext, next: Next): Promise<void> {
  Object.assign(ctx.state.log, { agent: null, user: null, session: null, tokens: 0 });
  await next();
}

function buildTurnRequest(
  ctx: AppContext,
  parsed: ParsedChatRequest,
  agent: LoadedAgent,
  extra: Pick<TurnRequest, 'snapshot' | 'signal' | 'meter'>,
): TurnRequest {
  const identity = resolveIdentity({ metadata: parsed.metadata, bodyUser: parsed.user, headers: ctx.req.headers });
  Object.assign(ctx.state.log, { agent: agent.name, user: identity.user.id, session: identity.sessionId ?? null, stream: parsed.stream });
  return {
    ...extra,
    agent,
    user: identity.user,
    ...(identity.sessionId === undefined ? {} : { sessionId: identity.sessionId }),
    wholeConversation: identity.openWebUIChat === true || parsed.messages.length > 1,
    ...(identity.task === undefined ? {} : { task: identity.task }),
    system: parsed.system,
    messages: parsed.messages,
    settings: parsed.settings,
    stream: parsed.stream,
  };
}

function completionBase(agent: LoadedAgent): { id: string; model: string; created: number } {
  return { id: createCompletionId(), model: agent.name, created: Math.floor(Date.now() / 1000) };
}
