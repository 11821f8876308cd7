import type { Logger } from '../../logger.ts';
import { toChunk } from '../../openai/to-chunk.ts';
import type { ChatCompletionChunk } from '../../openai/wire-types.ts';
import { toErrorBody } from '../../openai/to-error-body.ts';
import { upstreamMsOf, type TurnEvent } from '../../run/turn.ts';
import { logFailure, normalizeError } from '../error-middleware.ts';
import { createSSEWriter, type SSEWriter } from '../sse-writer.ts';
import { addTiming, elapsedMs, serverTimingHeader } from '../state.ts';
import type { TurnContext } from './turn-context.ts';

export interface StreamTurnOptions extends TurnContext {
  includeUsage: boolean;
  heartbeatMs: number;
  logger: Logger;
}

/**
 * Streaming: headers go out with the first event (or the first heartbeat), each event is written
 * the moment it arrives. An error before that is thrown (a normal error response); after it, it
 * becomes a `data: {"error": ...}` event and the stream ends without [DONE].
 */
export async function streamTurn(options: StreamTurnOptions): Promise<void> {
  const { ctx, signal } = options;
  const writer = createSSEWriter(ctx.res, {
    heartbeatMs: options.heartbeatMs,
    extraHeaders() {
      return { 'Server-Timing': streamTiming(options) };
    },
  });
  ctx.respond = false;
  try {
    await writeEvents(options, writer);
  } catch (error) {
    if (!writer.opened && !signal.aborted) {
      writer.end();
      ctx.respond = true;
      throw error;
    }
    failStream(options, writer, error);
  } finally {
    writer.end();
    if (signal.aborted) ctx.state.log.aborted = true;
  }
}

async function writeEvents(options: StreamTurnOptions, writer: SSEWriter): Promise<void> {
  const { base, signal, includeUsage } = options;
  let done: Extract<TurnEvent, { type: 'done' }> | undefined;
  // The role chunk goes out in the same write as the first event.
  let unsent: ChatCompletionChunk[] = [toChunk(base, { type: 'role' }, includeUsage)];
  for await (const event of options.startRun()) {
    if (signal.aborted) return;
    if (event.type === 'done') done = event;
    else {
      writer.send(...unsent, toChunk(base, { type: event.type, text: event.text }, includeUsage));
      unsent = [];
    }
  }
  if (signal.aborted) return;
  unsent.push(toChunk(base, { type: 'finish', finishReason: done?.finishReason ?? 'stop' }, includeUsage));
  if (done && includeUsage) unsent.push(toChunk(base, { type: 'usage', usage: done.usage }));
  writer.finish(...unsent);
}

function failStream(options: StreamTurnOptions, writer: SSEWriter, caught: unknown): void {
  if (options.signal.aborted) return;
  const error = normalizeError(caught);
  logFailure(options.logger, options.ctx, caught, error, 'stream failed after start');
  writer.send(toErrorBody(error));
}

/** The headers go out with the first event (or keepalive): the split of the time until then. */
function streamTiming(options: StreamTurnOptions): string {
  const totalMs = elapsedMs(options.ctx.state);
  addTiming(options.ctx.state.timing, upstreamMsOf(options.meter), totalMs);
  return serverTimingHeader(options.ctx.state, totalMs);
}
