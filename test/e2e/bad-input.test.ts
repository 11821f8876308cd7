import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentYaml, startStack, type Stack } from './stack.ts';

/** Bad requests through the whole stack: each is a clear OpenAI error, Gemini is never called, the server stays up. */
describe('bad input end to end', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ agents: { 'a.yaml': agentYaml('agent-a'), 'b.yaml': agentYaml('agent-b') }, env: { AGENTLLM_BODY_LIMIT: '4096' } });
  });
  afterAll(() => stack.close());

  async function rejection(body: Record<string, unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
    const caught = await stack.client.chat.completions.create(body as never).then(() => undefined, (error: unknown) => error);
    expect(caught).toBeInstanceOf(OpenAI.APIError);
    return caught as InstanceType<typeof OpenAI.APIError>;
  }

  const earlier = [{ role: 'user', content: 'What is 2 + 2?' }, { role: 'assistant', content: '4' }];

  it.each([
    ['an empty string', { content: '' }],
    ['null', { content: null }],
    ['no parts', { content: [] }],
    ['no content field', {}],
  ])('rejects a last user message with %s (streaming or not) before calling Gemini', async (_name, content) => {
    const before = stack.gemini.requests.length;
    for (const stream of [false, true]) {
      const error = await rejection({ model: 'agent-a', stream, messages: [...earlier, { role: 'user', ...content }] });
      expect(error.status).toBe(400);
      expect(error.error).toMatchObject({ type: 'invalid_request_error', param: 'messages[2].content', message: 'messages[2].content is empty: the last user message must contain text' });
    }
    expect(stack.gemini.requests.length).toBe(before);
  });

  it.each([
    ['an unknown role', { messages: [{ role: 'wizard', content: 'x' }] }, 'messages[0].role', /must be one of system, developer, user/],
    ['a number as content', { messages: [{ role: 'user', content: 42 }] }, 'messages[0].content', /must be a string or an array/],
    ['a string temperature', { messages: [{ role: 'user', content: 'x' }], temperature: 'hot' }, 'temperature', /must be a number/],
    ['messages as a string', { messages: 'hello' }, 'messages', /must be an array/],
    ['an assistant message with tool calls last', { messages: [earlier[0], { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] }] }, 'messages[1].role', /must end with a user message/],
    ['an assistant message to continue with no question before it', { messages: [{ role: 'system', content: 's' }, { role: 'assistant', content: 'Once upon' }] }, 'messages[1].role', /must follow a user message/],
  ])('rejects %s with a 400 naming the parameter', async (_name, body, param, message) => {
    const before = stack.gemini.requests.length;
    const error = await rejection({ model: 'agent-a', ...body });
    expect(error.status).toBe(400);
    expect(error.error).toMatchObject({ type: 'invalid_request_error', param });
    expect(error.message).toMatch(message);
    expect(stack.gemini.requests.length).toBe(before);
  });

  it('rejects a body over AGENTLLM_BODY_LIMIT with a 413', async () => {
    const error = await rejection({ model: 'agent-a', messages: [{ role: 'user', content: 'x'.repeat(10_000) }] });
    expect(error.status).toBe(413);
    expect(error.error).toMatchObject({ code: 'request_too_large' });
  });

  it('rejects invalid JSON with a 400 invalid_json', async () => {
    const response = await fetch(`${stack.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"model": "agent-a", ' });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('invalid_json');
    expect(error.message).toMatch(/^request body is not valid JSON/);
  });

  it('answers an unknown model with a 404 listing the available ones', async () => {
    const error = await rejection({ model: 'ghost', messages: [{ role: 'user', content: 'x' }] });
    expect(error.status).toBe(404);
    expect(error.error).toMatchObject({ code: 'model_not_found', param: 'model' });
    expect(error.message).toContain('Available models: agent-a, agent-b');
  });

  it('still answers after all of that', async () => {
    const completion = await stack.client.chat.completions.create({ model: 'agent-a', messages: [{ role: 'user', content: 'still there?' }] });
    expect(completion.choices[0]?.message.content).toBe('echo: still there?');
  });
});
