import type { GenerateContentResponse } from '@google/genai';
import { describe, expect, it } from 'vitest';
import { createResponseState, toDoneEvent, toFinishReason, toModelEvents, toUsage } from '../../src/model/from-gemini-response.ts';

function response(value: unknown): GenerateContentResponse {
  return value as GenerateContentResponse;
}

describe('toModelEvents', () => {
  it('turns text, thoughts and function calls into events in part order', () => {
    const state = createResponseState();
    const events = toModelEvents(response({
      candidates: [{ content: { role: 'model', parts: [
        { text: 'pondering', thought: true },
        { text: 'Answer' },
        { functionCall: { id: 'fc1', name: 'search', args: { q: 'x' } }, thoughtSignature: 'sig' },
        { functionCall: { name: 'count' } },
      ] } }],
    }), state);
    expect(events.slice(0, 3)).toEqual([
      { type: 'reasoning', text: 'pondering' },
      { type: 'text', text: 'Answer' },
      { type: 'tool_call', call: { id: 'fc1', name: 'search', args: { q: 'x' }, signature: 'sig' } },
    ]);
    expect(events[3]).toMatchObject({ type: 'tool_call', call: { name: 'count', args: {} } });
    expect((events[3] as { call: { id: string } }).call.id).toMatch(/^call_[0-9a-f]{24}$/);
    expect(toDoneEvent(state)).toMatchObject({ finishReason: 'tool_calls' });
  });

  it('keeps the latest usage and finish reason across streamed chunks', () => {
    const state = createResponseState();
    toModelEvents(response({ candidates: [{ content: { parts: [{ text: 'a' }] } }], usageMetadata: { promptTokenCount: 3 } }), state);
    toModelEvents(response({
      candidates: [{ content: { parts: [{ text: 'b' }] }, finishReason: 'MAX_TOKENS' }],
      usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 4, totalTokenCount: 7 },
    }), state);
    expect(toDoneEvent(state)).toEqual({ type: 'done', finishReason: 'length', usage: { promptTokens: 3, completionTokens: 4, totalTokens: 7 } });
  });

  it('reports a blocked prompt as content_filter', () => {
    const state = createResponseState();
    expect(toModelEvents(response({ promptFeedback: { blockReason: 'SAFETY' } }), state)).toEqual([]);
    expect(toDoneEvent(state)).toMatchObject({ finishReason: 'content_filter' });
  });
});

describe('toFinishReason', () => {
  it.each([
    ['STOP', 'stop'], ['MAX_TOKENS', 'length'], ['SAFETY', 'content_filter'], ['RECITATION', 'content_filter'],
    ['BLOCKLIST', 'content_filter'], ['PROHIBITED_CONTENT', 'content_filter'], ['SPII', 'content_filter'],
    ['OTHER', 'stop'], [undefined, 'stop'],
  ])('maps %s to %s', (upstream, expected) => {
    expect(toFinishReason({ sawToolCall: false, blocked: false, finishReason: upstream })).toBe(expected);
  });
});

describe('toUsage', () => {
  it('counts thinking tokens as completion tokens and reports them as reasoning', () => {
    expect(toUsage({ promptTokenCount: 10, candidatesTokenCount: 5, thoughtsTokenCount: 20, totalTokenCount: 35 }))
      .toEqual({ promptTokens: 10, completionTokens: 25, totalTokens: 35, reasoningTokens: 20 });
  });

  it('fills in zeros when usage is missing', () => {
    expect(toUsage(undefined)).toEqual({ promptTokens: 0, completionTokens: 0, totalTokens: 0 });
  });
});
