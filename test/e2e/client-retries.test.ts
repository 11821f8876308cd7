import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentYaml, startStack, type Stack } from './stack.ts';

/** The official SDKs retry 429 and 5xx by themselves: after our own retries, theirs only multiply the calls to Gemini. */
describe('no retry amplification', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ agents: { 'a.yaml': agentYaml('agent-a') } });
  });
  afterAll(() => stack.close());

  it.each([false, true])('an upstream 503 costs our 3 Gemini calls, not 3 times the SDK retries (stream: %s)', async (stream) => {
    stack.gemini.setDefault({ status: 503 });
    const client = new OpenAI({ baseURL: `${stack.url}/v1`, apiKey: 'unused', maxRetries: 2 });
    const before = stack.gemini.requests.length;
    const error = await client.chat.completions.create({ model: 'agent-a', stream, messages: [{ role: 'user', content: 'hi' }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
    expect((error as InstanceType<typeof OpenAI.APIError>).headers?.get('x-should-retry')).toBe('false');
    expect(stack.gemini.requests.length - before).toBe(3);
  });

  it('a bad request carries no x-should-retry header', async () => {
    const response = await fetch(`${stack.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'agent-a', messages: [] }) });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-should-retry')).toBeNull();
  });
});
