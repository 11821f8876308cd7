import { randomFillSync } from 'node:crypto';
import type { FinishReason, Usage } from '../conversation.ts';
import type { ChatCompletion, WireUsage } from './wire-types.ts';

const ID_BYTES = 18;
/** Random bytes for 256 ids, filled in one call (as crypto.randomUUID does), so an id costs no system call. */
const pool = Buffer.alloc(ID_BYTES * 256);
let poolOffset = pool.length;

/** A fresh completion id, `chatcmpl-<24 base64url characters>` (144 random bits). */
export function createCompletionId(): string {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  poolOffset += ID_BYTES;
  return `chatcmpl-${pool.toString('base64url', poolOffset - ID_BYTES, poolOffset)}`;
}

/** Internal usage -> OpenAI usage (reasoning tokens under completion_tokens_details when known). */
export function toWireUsage(usage: Usage): WireUsage {
  const wire: WireUsage = {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.totalTokens,
  };
  if (usage.reasoningTokens !== undefined) wire.completion_tokens_details = { reasoning_tokens: usage.reasoningTokens };
  return wire;
}

export interface CompletionInput {
  id: string;
  model: string;
  /** Unix seconds. */
  created: number;
  text: string;
  reasoning?: string;
  finishReason: FinishReason;
  usage: Usage;
}

/** The whole answer of a non-streaming request as a `chat.completion` object. */
export function toCompletion(input: CompletionInput): ChatCompletion {
  const message: ChatCompletion['choices'][number]['message'] = { role: 'assistant', content: input.text };
  if (input.reasoning) message.reasoning_content = input.reasoning;
  return {
    id: input.id,
    object: 'chat.completion',
    created: input.created,
    model: input.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: input.finishReason }],
    usage: toWireUsage(input.usage),
  };
}
