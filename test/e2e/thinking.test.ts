import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentYaml, startStack, type Stack } from './stack.ts';

describe("Gemini thinking streams as reasoning_content (Open WebUI's 'Thought for N seconds')", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ agents: { 'thinker.yaml': agentYaml('thinker', 'model:\n  thinking:\n    budget: 512\n    include_thoughts: true\n') } });
  });
  afterAll(() => stack.close());

  it('sends thoughts as reasoning_content deltas before the answer, as they arrive', async () => {
    stack.gemini.enqueue({ chunks: [{ thought: 'Considering ' }, { thought: 'the options.' }, { text: 'Take the train.' }], delayMs: 20 });
    const stream = await stack.client.chat.completions.create({ model: 'thinker', messages: [{ role: 'user', content: 'Train or plane?' }], stream: true });
    const order: string[] = [];
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta as { content?: string; reasoning_content?: string } | undefined;
      if (delta?.reasoning_content) order.push(`thought:${delta.reasoning_content}`);
      if (delta?.content) order.push(`text:${delta.content}`);
    }
    expect(order).toEqual(['thought:Considering ', 'thought:the options.', 'text:Take the train.']);
    expect(stack.gemini.requests.at(-1)!.body.generationConfig).toMatchObject({ thinkingConfig: { thinkingBudget: 512, includeThoughts: true } });
  });

  it('returns reasoning_content on the message of a non-streaming answer', async () => {
    stack.gemini.enqueue({ chunks: [{ thought: 'Short think.' }, { text: 'Done.' }], usage: { promptTokenCount: 3, candidatesTokenCount: 2, thoughtsTokenCount: 4, totalTokenCount: 9 } });
    const completion = await stack.client.chat.completions.create({ model: 'thinker', messages: [{ role: 'user', content: 'Quick?' }] });
    const message = completion.choices[0]!.message as { content: string | null; reasoning_content?: string };
    expect(message.content).toBe('Done.');
    expect(message.reasoning_content).toBe('Short think.');
    expect(completion.usage?.completion_tokens_details?.reasoning_tokens).toBe(4);
  });
});
