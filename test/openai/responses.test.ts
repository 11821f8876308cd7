import { describe, expect, it } from 'vitest';
import { AgentLLMError } from '../../src/errors.ts';
import { formatSSEData, SSE_DONE, SSE_KEEPALIVE } from '../../src/openai/sse.ts';
import { toChunk } from '../../src/openai/to-chunk.ts';
import { createCompletionId, toCompletion } from '../../src/openai/to-completion.ts';
import { toErrorBody } from '../../src/openai/to-error-body.ts';

const base = { id: 'chatcmpl-abc', model: 'helper', created: 1_700_000_000 };

describe('toCompletion', () => {
  it('builds the exact chat.completion object', () => {
    expect(
      toCompletion({ ...base, text: 'Hi!', finishReason: 'stop', usage: { promptTokens: 5, completionTokens: 2, totalTokens: 7 } }),
    ).toEqual({
      id: 'chatcmpl-abc',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'helper',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hi!' }, logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
    });
  });

  it('adds reasoning_content and reasoning tokens when present', () => {
    const completion = toCompletion({
      ...base,
      text: 'Hi!',
      reasoning: 'Greeting back.',
      finishReason: 'length',
      usage: { promptTokens: 5, completionTokens: 9, totalTokens: 14, reasoningTokens: 7 },
    });
    expect(completion.choices[0]?.message).toEqual({ role: 'assistant', content: 'Hi!', reasoning_content: 'Greeting back.' });
    expect(completion.choices[0]?.finish_reason).toBe('length');
    expect(completion.usage.completion_tokens_details).toEqual({ reasoning_tokens: 7 });
  });
});

describe('toChunk', () => {
  const chunk = (delta: unknown, finish: string | null = null): unknown => ({
    ...base,
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  });

  it('builds the role, content, reasoning and final chunks', () => {
    expect(toChunk(base, { type: 'role' })).toEqual(chunk({ role: 'assistant', content: '' }));
    expect(toChunk(base, { type: 'text', text: 'Hel' })).toEqual(chunk({ content: 'Hel' }));
    expect(toChunk(base, { type: 'reasoning', text: 'hmm' })).toEqual(chunk({ reasoning_content: 'hmm' }));
    expect(toChunk(base, { type: 'finish', finishReason: 'stop' })).toEqual(chunk({}, 'stop'));
  });

  it('puts usage: null on every other chunk when the stream includes usage, as OpenAI does', () => {
    expect(toChunk(base, { type: 'role' }, true)).toEqual({ ...(chunk({ role: 'assistant', content: '' }) as object), usage: null });
    expect(toChunk(base, { type: 'text', text: 'Hel' }, true)).toEqual({ ...(chunk({ content: 'Hel' }) as object), usage: null });
    expect(toChunk(base, { type: 'finish', finishReason: 'stop' }, true)).toEqual({ ...(chunk({}, 'stop') as object), usage: null });
    expect(toChunk(base, { type: 'usage', usage: { promptTokens: 1, completionTokens: 2, totalTokens: 3 } }, true).usage).toEqual({ prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 });
  });

  it('builds the usage chunk with empty choices', () => {
    expect(toChunk(base, { type: 'usage', usage: { promptTokens: 1, completionTokens: 2, totalTokens: 3 } })).toEqual({
      ...base,
      object: 'chat.completion.chunk',
      choices: [],
      usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
    });
  });
});

describe('wire helpers', () => {
  it('frames SSE events', () => {
    expect(formatSSEData({ a: 1 })).toBe('data: {"a":1}\n\n');
    expect(SSE_DONE).toBe('data: [DONE]\n\n');
    expect(SSE_KEEPALIVE).toBe(': keepalive\n\n');
  });

  it('renders an error body', () => {
    const error = new AgentLLMError('slow down', { status: 429, code: 'rate_limited', param: null });
    expect(toErrorBody(error)).toEqual({
      error: { message: 'slow down', type: 'rate_limit_error', param: null, code: 'rate_limited' },
    });
  });

  it('creates distinct chatcmpl- ids', () => {
    const ids = new Set(Array.from({ length: 50 }, createCompletionId));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^chatcmpl-[\w-]{20,}$/);
  });
});
