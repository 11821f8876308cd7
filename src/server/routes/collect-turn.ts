import type { FinishReason, Usage } from '../../conversation.ts';
import { toCompletion } from '../../openai/to-completion.ts';
import type { TurnContext } from './turn-context.ts';

const NO_USAGE: Usage = { promptTokens: 0, completionTokens: 0, totalTokens: 0 };

/** Non-streaming: gathers every event of the turn into one `chat.completion`. */
export async function collectTurn({ ctx, base, startRun, signal }: TurnContext): Promise<void> {
  let text = '';
  let reasoning = '';
  let finishReason: FinishReason = 'stop';
  let usage = NO_USAGE;
  try {
    for await (const event of startRun()) {
      if (event.type === 'text') text += event.text;
      else if (event.type === 'reasoning') reasoning += event.text;
      else ({ finishReason, usage } = event);
    }
  } catch (error) {
    if (signal.aborted) return markAborted(ctx);
    throw error;
  }
  if (signal.aborted) return markAborted(ctx);
  // Set before the body, so koa does not look the JSON type up in mime-types on every request.
  ctx.set('Content-Type', 'application/json; charset=utf-8');
  ctx.body = toCompletion({ ...base, text, ...(reasoning ? { reasoning } : {}), finishReason, usage });
}

/** The client is gone: nothing to send; the log line says so. */
function markAborted(ctx: TurnContext['ctx']): void {
  ctx.state.log.aborted = true;
  ctx.respond = false;
}
