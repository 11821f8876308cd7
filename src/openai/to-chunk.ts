import type { FinishReason, Usage } from '../conversation.ts';
import { toWireUsage } from './to-completion.ts';
import type { ChatCompletionChunk, ChunkDelta } from './wire-types.ts';

/** What every chunk of one stream shares. */
export interface ChunkBase {
  id: string;
  model: string;
  /** Unix seconds. */
  created: number;
}

/** One step of a stream, in the order a stream sends them: role, text/reasoning..., finish, usage. */
export type ChunkPart =
  | { type: 'role' }
  | { type: 'text'; text: string }
  | { type: 'reasoning'; text: string }
  | { type: 'finish'; finishReason: FinishReason }
  | { type: 'usage'; usage: Usage };

/**
 * One `chat.completion.chunk`. The usage chunk has `choices: []`, as OpenAI sends it; with
 * `includeUsage` every other chunk has `usage: null`, as OpenAI sends them too.
 */
export function toChunk(base: ChunkBase, part: ChunkPart, includeUsage = false): ChatCompletionChunk {
  const chunk: ChatCompletionChunk = { ...base, object: 'chat.completion.chunk', choices: [] };
  if (part.type === 'usage') return { ...chunk, usage: toWireUsage(part.usage) };
  if (includeUsage) chunk.usage = null;
  const finishReason = part.type === 'finish' ? part.finishReason : null;
  chunk.choices.push({ index: 0, delta: toDelta(part), logprobs: null, finish_reason: finishReason });
  return chunk;
}

function toDelta(part: Exclude<ChunkPart, { type: 'usage' }>): ChunkDelta {
  if (part.type === 'role') return { role: 'assistant', content: '' };
  if (part.type === 'text') return { content: part.text };
  if (part.type === 'reasoning') return { reasoning_content: part.text };
  return {};
}
