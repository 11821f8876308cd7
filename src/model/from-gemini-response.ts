/**
 * Pure conversion of Gemini responses (whole or streamed chunks) into ModelEvents. A ResponseState
 * carries what the final `done` event needs across chunks: finish reason, usage, tool calls seen.
 */
import { randomUUID } from 'node:crypto';
import type { GenerateContentResponse, GenerateContentResponseUsageMetadata, Part } from '@google/genai';
import type { FinishReason, Usage } from '../conversation.ts';
import type { ModelEvent } from './model-client.ts';
import { GENERATED_CALL_ID_PREFIX } from './to-gemini-request.ts';

export interface ResponseState {
  sawToolCall: boolean;
  /** Some response (or chunk) had a candidate: an answer with none that was not blocked is no answer. */
  sawCandidate: boolean;
  finishReason: string | undefined;
  blocked: boolean;
  usage: GenerateContentResponseUsageMetadata | undefined;
}

const FILTERED = new Set(['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY', 'IMAGE_PROHIBITED_CONTENT']);

export function createResponseState(): ResponseState {
  return { sawToolCall: false, sawCandidate: false, finishReason: undefined, blocked: false, usage: undefined };
}

/** The events of one response (or one streamed chunk); updates `state` for the final `done`. */
export function toModelEvents(response: GenerateContentResponse, state: ResponseState): ModelEvent[] {
  if (response.usageMetadata) state.usage = response.usageMetadata;
  if (response.promptFeedback?.blockReason) state.blocked = true;
  const candidate = response.candidates?.[0];
  if (!candidate) return [];
  state.sawCandidate = true;
  if (candidate.finishReason) state.finishReason = candidate.finishReason;
  const events: ModelEvent[] = [];
  for (const part of candidate.content?.parts ?? []) {
    const event = toModelEvent(part);
    if (!event) continue;
    if (event.type === 'tool_call') state.sawToolCall = true;
    events.push(event);
  }
  return events;
}

function toModelEvent(part: Part): ModelEvent | undefined {
  if (part.functionCall) {
    const { id, name = '', args = {} } = part.functionCall;
    const call = { id: id || generateCallId(), name, args, ...(part.thoughtSignature ? { signature: part.thoughtSignature } : {}) };
    return { type: 'tool_call', call };
  }
  if (!part.text) return undefined;
  return part.thought ? { type: 'reasoning', text: part.text } : { type: 'text', text: part.text };
}

/** Gemini's answer arrived but is not one: not JSON, cut JSON, or no candidate. A 502, not our bug. */
export class MalformedAnswerError extends Error {
  override name = 'MalformedAnswerError';
}

export function generateCallId(): string {
  return GENERATED_CALL_ID_PREFIX + randomUUID().replaceAll('-', '').slice(0, 24);
}

/**
 * The final event of a call. Throws MalformedAnswerError when the answer held no candidate and
 * was not a blocked prompt (`{}` from a proxy, an empty stream): nothing to show or store.
 */
export function toDoneEvent(state: ResponseState): ModelEvent {
  if (!state.sawCandidate && !state.blocked) throw new MalformedAnswerError('the answer held no candidate');
  return { type: 'done', finishReason: toFinishReason(state), usage: toUsage(state.usage) };
}

export function toFinishReason(state: Pick<ResponseState, 'sawToolCall' | 'finishReason' | 'blocked'>): FinishReason {
  if (state.sawToolCall) return 'tool_calls';
  if (state.blocked) return 'content_filter';
  if (state.finishReason === 'MAX_TOKENS') return 'length';
  if (state.finishReason && FILTERED.has(state.finishReason)) return 'content_filter';
  return 'stop';
}

/** Completion tokens include thinking tokens (Gemini bills them as output). */
export function toUsage(metadata: GenerateContentResponseUsageMetadata | undefined): Usage {
  const promptTokens = metadata?.promptTokenCount ?? 0;
  const thoughts = metadata?.thoughtsTokenCount;
  const completionTokens = (metadata?.candidatesTokenCount ?? 0) + (thoughts ?? 0);
  const usage: Usage = { promptTokens, completionTokens, totalTokens: metadata?.totalTokenCount ?? promptTokens + completionTokens };
  if (thoughts !== undefined) usage.reasoningTokens = thoughts;
  return usage;
}
