import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { generateText, streamText, type LanguageModel } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentYaml, startStack, type Stack } from '../e2e/stack.ts';

/** The Vercel AI SDK (ai v5 + @ai-sdk/openai-compatible), unmodified, against the real server. */
describe('Vercel AI SDK', () => {
  const apiKey = 'ai-sdk-test-key';
  const usage = { promptTokenCount: 11, candidatesTokenCount: 7, totalTokenCount: 18 };
  let stack: Stack;
  let model: LanguageModel;

  beforeAll(async () => {
    stack = await startStack({ agents: { 'helper.yaml': agentYaml('helper') }, apiKey });
    const provider = createOpenAICompatible({ baseURL: `${stack.url}/v1`, name: 'agentllm', apiKey, includeUsage: true });
    model = provider('helper');
  });
  afterAll(() => stack.close());

  it('generateText returns the agent answer and its token usage', async () => {
    stack.gemini.enqueue({ chunks: [{ text: 'Hello ' }, { text: 'from Gemini.' }], usage });
    const result = await generateText({ model, prompt: 'Say hello', maxRetries: 0 });
    expect(result.text).toBe('Hello from Gemini.');
    expect(result.finishReason).toBe('stop');
    expect(result.usage).toMatchObject({ inputTokens: 11, outputTokens: 7, totalTokens: 18 });
    expect(stack.gemini.requests.at(-1)!.body.contents.at(-1)!.parts[0]!.text).toBe('Say hello');
  });

  it('streamText delivers the answer in several deltas, then the usage', async () => {
    stack.gemini.enqueue({ chunks: [{ text: 'One, ' }, { text: 'two, ' }, { text: 'three.' }], usage, delayMs: 10 });
    const result = streamText({ model, prompt: 'Count to three', maxRetries: 0 });
    const deltas: string[] = [];
    for await (const delta of result.textStream) deltas.push(delta);
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe('One, two, three.');
    expect(await result.finishReason).toBe('stop');
    expect(await result.usage).toMatchObject({ inputTokens: 11, outputTokens: 7, totalTokens: 18 });
    expect(stack.gemini.requests.at(-1)!.stream).toBe(true);
  });

  it('surfaces a wrong API key as a 401 APICallError', async () => {
    const wrong = createOpenAICompatible({ baseURL: `${stack.url}/v1`, name: 'agentllm', apiKey: 'wrong-key' });
    await expect(generateText({ model: wrong('helper'), prompt: 'Hi', maxRetries: 0 })).rejects.toMatchObject({ statusCode: 401 });
  });
});
