import { randomBytes } from 'node:crypto';
import type { FinishReason, Usage } from '../conversation.ts';
import type { ChatCompletion, WireUsage } from './wire-types.ts';

/** A fresh completion id, `chatcmpl-<random>`. */
export function createCompletionId(): string {
  return `chatcmpl-${randomBytes(18).toString('base64url')}`;
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
