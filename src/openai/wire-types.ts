import type { FinishReason } from '../conversation.ts';

/** The response objects of the chat completions API, as this server sends them. */

export interface WireUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  completion_tokens_details?: { reasoning_tokens: number };
}

export interface ChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: Array<{
    index: 0;
    message: { role: 'assistant'; content: string; reasoning_content?: string };
    logprobs: null;
    finish_reason: FinishReason;
  }>;
  usage: WireUsage;
}

export interface ChunkDelta {
  role?: 'assistant';
  content?: string;
  reasoning_content?: string;
}

export interface ChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: Array<{ index: 0; delta: ChunkDelta; logprobs: null; finish_reason: FinishReason | null }>;
  /** The usage chunk's usage; null on the other chunks of a stream with include_usage. */
  usage?: WireUsage | null;
}

export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export interface ModelObject {
  id: string;
  object: 'model';
  created: number;
  owned_by: 'agentllm';
  name: string;
  description: string;
}
