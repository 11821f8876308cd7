import { HumanMessage, SystemMessage, type AIMessageChunk } from '@langchain/core/messages';
import { ChatOpenAI } from '@langchain/openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentYaml, startStack, type Stack } from '../e2e/stack.ts';

/** LangChain's ChatOpenAI (@langchain/openai 1.0), unmodified, against the real server. */
describe('LangChain ChatOpenAI', () => {
  const apiKey = 'langchain-test-key';
  const usage = { promptTokenCount: 13, candidatesTokenCount: 5, totalTokenCount: 18 };
  let stack: Stack;
  let chat: ChatOpenAI;

  beforeAll(async () => {
    stack = await startStack({ agents: { 'helper.yaml': agentYaml('helper') }, apiKey });
    chat = new ChatOpenAI({ model: 'helper', apiKey, configuration: { baseURL: `${stack.url}/v1` }, maxRetries: 0, streamUsage: true });
  });
  afterAll(() => stack.close());

  it('invoke returns the agent answer with usage metadata', async () => {
    stack.gemini.enqueue({ chunks: [{ text: 'Bonjour ' }, { text: 'le monde.' }], usage });
    const message = await chat.invoke([new SystemMessage('Answer in French.'), new HumanMessage('Say hello')]);
    expect(message.content).toBe('Bonjour le monde.');
    expect(message.usage_metadata).toMatchObject({ input_tokens: 13, output_tokens: 5, total_tokens: 18 });
    const sent = stack.gemini.requests.at(-1)!.body;
    expect(sent.contents.at(-1)!.parts[0]!.text).toBe('Say hello');
    expect(sent.systemInstruction?.parts.map((part) => part.text).join('\n')).toContain('Answer in French.');
  });

  it('stream yields several chunks that add up to the answer and carry usage', async () => {
    stack.gemini.enqueue({ chunks: [{ text: 'Un, ' }, { text: 'deux, ' }, { text: 'trois.' }], usage, delayMs: 10 });
    const chunks: AIMessageChunk[] = [];
    for await (const chunk of await chat.stream('Count to three')) chunks.push(chunk);
    const texts = chunks.map((chunk) => chunk.content).filter((content) => typeof content === 'string' && content !== '');
    expect(texts.length).toBeGreaterThan(1);
    expect(texts.join('')).toBe('Un, deux, trois.');
    const merged = chunks.reduce((sum, chunk) => sum.concat(chunk));
    expect(merged.usage_metadata).toMatchObject({ input_tokens: 13, output_tokens: 5, total_tokens: 18 });
    expect(stack.gemini.requests.at(-1)!.stream).toBe(true);
  });

  it('reports an unknown model as a 404 naming the available ones', async () => {
    const unknown = new ChatOpenAI({ model: 'nope', apiKey, configuration: { baseURL: `${stack.url}/v1` }, maxRetries: 0 });
    await expect(unknown.invoke('Hi')).rejects.toThrow(/Available models: helper/);
  });
});
