import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentYaml, startStack, type Stack } from './stack.ts';

/** OpenAI request options: what reaches Gemini, and what is refused instead of silently ignored. */
describe('request options through the whole stack', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ agents: { 'a.yaml': agentYaml('agent-a') } });
  });
  afterAll(() => stack.close());

  const ask = { model: 'agent-a', messages: [{ role: 'user' as const, content: 'Give me a number.' }] };

  it('sends response_format json_object as a JSON response MIME type', async () => {
    stack.gemini.enqueue({ chunks: [{ text: '{"n": 4}' }] });
    const completion = await stack.client.chat.completions.create({ ...ask, response_format: { type: 'json_object' } });
    expect(JSON.parse(completion.choices[0]!.message.content!)).toEqual({ n: 4 });
    const config = stack.gemini.requests.at(-1)!.body.generationConfig;
    expect(config?.responseMimeType).toBe('application/json');
    expect(config?.responseJsonSchema).toBeUndefined();
  });

  it('sends response_format json_schema as a JSON response MIME type with the schema, streaming too', async () => {
    const schema = { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] };
    stack.gemini.enqueue({ chunks: [{ text: '{"n":' }, { text: ' 4}' }] });
    const stream = await stack.client.chat.completions.create({
      ...ask,
      stream: true,
      response_format: { type: 'json_schema', json_schema: { name: 'number', schema, strict: true } },
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(JSON.parse(text)).toEqual({ n: 4 });
    const sent = stack.gemini.requests.at(-1)!;
    expect(sent.stream).toBe(true);
    expect(sent.body.generationConfig).toMatchObject({ responseMimeType: 'application/json', responseJsonSchema: schema });
  });

  it('sends plain text when response_format is text or absent', async () => {
    await stack.client.chat.completions.create({ ...ask, response_format: { type: 'text' } });
    expect(stack.gemini.requests.at(-1)!.body.generationConfig?.responseMimeType).toBeUndefined();
  });

  it('accepts an empty tools list and tool_choice none or auto as no tools', async () => {
    for (const tool_choice of ['none', 'auto'] as const) {
      const completion = await stack.client.chat.completions.create({ ...ask, tools: [], tool_choice });
      expect(completion.choices[0]?.message.content).toBe('echo: Give me a number.');
      expect(stack.gemini.requests.at(-1)!.body.tools).toBeUndefined();
    }
  });

  it.each([
    ['client tools', { tools: [{ type: 'function' as const, function: { name: 'lookup', parameters: { type: 'object' } } }] }, 'tools', /come from the toolkits/],
    ['tool_choice required', { tool_choice: 'required' as const }, 'tool_choice', /must be none or auto/],
    ['logprobs', { logprobs: true }, 'logprobs', /logprobs is not supported/],
  ])('refuses %s with a 400 unsupported_parameter, without calling Gemini', async (_name, extra, param, message) => {
    const before = stack.gemini.requests.length;
    const error = await stack.client.chat.completions.create({ ...ask, ...extra }).then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).error).toMatchObject({ param, code: 'unsupported_parameter', message: expect.stringMatching(message) });
    expect(stack.gemini.requests.length).toBe(before);
  });
});
