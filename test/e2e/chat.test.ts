import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { agentYaml, startStack, type Stack } from './stack.ts';

describe('chat through the whole stack (openai client -> AgentLLM -> fake Gemini)', () => {
  let stack: Stack;

  beforeAll(async () => {
    const assistant = await readFile(new URL('../../agents/assistant.yaml', import.meta.url), 'utf8');
    stack = await startStack({ agents: { 'echo.yaml': agentYaml('echo-agent', 'history:\n  runs: 2\nmodel:\n  temperature: 0.3\n'), 'assistant.yaml': assistant } });
  });
  afterAll(() => stack.close());

  it('answers a non-streaming request with the agent instructions as system instruction', async () => {
    const completion = await stack.client.chat.completions.create({ model: 'echo-agent', messages: [{ role: 'user', content: 'hello there' }], user: 'ada' });
    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe('echo-agent');
    expect(completion.choices[0]?.message.content).toBe('echo: hello there');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage?.total_tokens).toBeGreaterThan(0);
    const sent = stack.gemini.requests.at(-1)!;
    expect(sent.stream).toBe(false);
    expect(sent.body.systemInstruction?.parts[0]?.text).toBe('You are echo-agent, talking to someone (id ada).');
    expect(sent.body.generationConfig?.temperature).toBe(0.3);
  });

  it("renders the shipped assistant's instructions for a user without a name as text without a name, and the UTC date", async () => {
    await stack.client.chat.completions.create({ model: 'assistant', messages: [{ role: 'user', content: 'hi' }] });
    const system = stack.gemini.requests.at(-1)!.body.systemInstruction!.parts.map((part) => part.text).join('');
    expect(system).toContain(`You are a helpful, precise general assistant. Today is ${new Date().toISOString().slice(0, 10)}`);
    expect(system).not.toContain('anonymous');
  });

  it('streams chunks and a usage chunk, and request settings override the YAML', async () => {
    stack.gemini.enqueue({ chunks: [{ text: 'Hel' }, { text: 'lo' }, { text: '!' }], usage: { promptTokenCount: 5, candidatesTokenCount: 3, totalTokenCount: 8 } });
    const stream = await stack.client.chat.completions.create({
      model: 'echo-agent',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
      temperature: 1.1,
      max_tokens: 50,
    });
    const deltas: string[] = [];
    let usage;
    let finish;
    const usageFields: unknown[] = [];
    for await (const chunk of stream) {
      usageFields.push(chunk.usage);
      if (chunk.usage) usage = chunk.usage;
      const choice = chunk.choices[0];
      if (choice?.delta.content) deltas.push(choice.delta.content);
      if (choice?.finish_reason) finish = choice.finish_reason;
    }
    expect(deltas.join('')).toBe('Hello!');
    expect(deltas.length).toBeGreaterThanOrEqual(3);
    expect(finish).toBe('stop');
    expect(usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 });
    // As OpenAI streams with include_usage: `usage: null` on every chunk but the last.
    expect(usageFields.slice(0, -1).every((field) => field === null)).toBe(true);
    expect(usageFields.length).toBeGreaterThanOrEqual(5);
    const sent = stack.gemini.requests.at(-1)!;
    expect(sent.stream).toBe(true);
    expect(sent.body.generationConfig).toMatchObject({ temperature: 1.1, maxOutputTokens: 50 });
  });

  it('puts the stored runs of a known session before its newest message, cut to history.runs', async () => {
    const ask = (content: string) =>
      stack.client.chat.completions.create({ model: 'echo-agent', messages: [{ role: 'user', content }], metadata: { session_id: 'hist-1', user_id: 'grace' } });
    for (const text of ['first', 'second', 'third', 'fourth']) await ask(text);
    const contents = stack.gemini.requests.at(-1)!.body.contents;
    const texts = contents.map((content) => `${content.role}:${content.parts.map((part) => part.text).join('')}`);
    expect(texts).toEqual(['user:second', 'model:echo: second', 'user:third', 'model:echo: third', 'user:fourth']);
  });

  it.each([
    [{ stream_options: { include_usage: true } }, 'stream_options', 'only allowed when'],
    [{ functions: [{ name: 'lookup', parameters: { type: 'object' } }] }, 'functions', 'not supported'],
    [{ function_call: { name: 'lookup' } }, 'function_call', 'must be none or auto'],
  ])('answers %j with a 400 the openai client raises as BadRequestError, before calling Gemini', async (extra, param, message) => {
    const before = stack.gemini.requests.length;
    const error = await stack.client.chat.completions
      .create({ model: 'echo-agent', messages: [{ role: 'user', content: 'hi' }], ...extra } as OpenAI.ChatCompletionCreateParamsNonStreaming)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toBe(param);
    expect((error as Error).message).toContain(message);
    expect(stack.gemini.requests.length).toBe(before);
  });
});
