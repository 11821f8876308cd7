import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentYaml, startStack, type Stack } from './stack.ts';

/** AGENTLLM_API_KEY through the whole stack, with the official openai client. */
describe('the API key', () => {
  const KEY = 'e2e-api-key-0123456789';
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ agents: { 'a.yaml': agentYaml('agent-a') }, apiKey: KEY });
  });
  afterAll(() => stack.close());

  const clientWith = (apiKey: string): OpenAI => new OpenAI({ baseURL: `${stack.url}/v1`, apiKey, maxRetries: 0 });
  const ask = { model: 'agent-a', messages: [{ role: 'user' as const, content: 'hello' }] };

  it('answers 401 invalid_api_key without a key or with a wrong one, before calling Gemini', async () => {
    const before = stack.gemini.requests.length;
    const noKey = await fetch(`${stack.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ask) });
    expect(noKey.status).toBe(401);
    expect(((await noKey.json()) as { error: { code: string } }).error.code).toBe('invalid_api_key');
    for (const call of [() => clientWith('wrong-key').chat.completions.create(ask), () => clientWith('wrong-key').models.list()]) {
      const error = await call().then(() => undefined, (caught: unknown) => caught);
      expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
      expect((error as InstanceType<typeof OpenAI.AuthenticationError>).status).toBe(401);
      expect((error as InstanceType<typeof OpenAI.AuthenticationError>).message).not.toContain(KEY);
    }
    expect(stack.gemini.requests.length).toBe(before);
  });

  it('answers 200 with the right key, streaming and not', async () => {
    const completion = await stack.client.chat.completions.create(ask);
    expect(completion.choices[0]?.message.content).toBe('echo: hello');
    let text = '';
    for await (const chunk of await stack.client.chat.completions.create({ ...ask, stream: true })) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('echo: hello');
    expect((await stack.client.models.list()).data.map((model) => model.id)).toEqual(['agent-a']);
  });

  it('leaves the health endpoints open', async () => {
    expect((await fetch(`${stack.url}/health`)).status).toBe(200);
    expect((await fetch(`${stack.url}/health/ready`)).status).toBe(200);
  });
});
