import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentYaml, startStack, type Stack } from '../e2e/stack.ts';

/** The official openai client (v6), unmodified: the model list a UI shows, and a streamed chat. */
describe('openai client', () => {
  const apiKey = 'openai-test-key';
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ agents: { 'helper.yaml': agentYaml('helper'), 'writer.yaml': agentYaml('writer') }, apiKey });
  });
  afterAll(() => stack.close());

  it('models.list() pages through every agent as a model', async () => {
    const ids: string[] = [];
    for await (const model of stack.client.models.list()) {
      expect(model.object).toBe('model');
      expect(model.owned_by).toBe('agentllm');
      ids.push(model.id);
    }
    expect(ids.sort()).toEqual(['helper', 'writer']);
  });

  it('models.retrieve() returns one agent, and a NotFoundError for an unknown id', async () => {
    const model = await stack.client.models.retrieve('writer');
    expect(model).toMatchObject({ id: 'writer', object: 'model', owned_by: 'agentllm' });
    expect(typeof model.created).toBe('number');
    const error = await stack.client.models.retrieve('ghost').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect((error as InstanceType<typeof OpenAI.NotFoundError>).message).toContain('Available models: helper, writer');
  });

  it('rejects a wrong key with AuthenticationError', async () => {
    const wrong = new OpenAI({ baseURL: `${stack.url}/v1`, apiKey: 'wrong', maxRetries: 0 });
    await expect(wrong.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it('streams a chat answer in several deltas with a final usage chunk', async () => {
    stack.gemini.enqueue({ chunks: [{ text: 'a' }, { text: 'b' }, { text: 'c' }], usage: { promptTokenCount: 3, candidatesTokenCount: 3, totalTokenCount: 6 } });
    const stream = await stack.client.chat.completions.create({
      model: 'helper', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'abc' }],
    });
    const deltas: string[] = [];
    let usage: OpenAI.CompletionUsage | undefined | null;
    for await (const chunk of stream) {
      const content = chunk.choices[0]?.delta.content;
      if (content) deltas.push(content);
      if (chunk.usage) usage = chunk.usage;
    }
    expect(deltas).toEqual(['a', 'b', 'c']);
    expect(usage).toMatchObject({ prompt_tokens: 3, completion_tokens: 3, total_tokens: 6 });
  });
});
