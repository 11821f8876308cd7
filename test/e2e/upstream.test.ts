import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { agentYaml, startStack, type Stack } from './stack.ts';

describe('upstream failures and client aborts', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ agents: { 'a.yaml': agentYaml('agent-a') } });
  });
  afterAll(() => stack.close());

  it('retries an upstream 429 and answers', async () => {
    const before = stack.gemini.requests.length;
    stack.gemini.enqueue({ status: 429, message: 'Resource has been exhausted' });
    const completion = await stack.client.chat.completions.create({ model: 'agent-a', messages: [{ role: 'user', content: 'retry me' }] });
    expect(completion.choices[0]?.message.content).toBe('echo: retry me');
    expect(stack.gemini.requests.length - before).toBe(2);
  });

  it('maps a persistent upstream 503 to a 503 OpenAI error, and the server stays up', async () => {
    stack.gemini.enqueue({ status: 503 }, { status: 503 }, { status: 503 }, { status: 503 }, { status: 503 });
    const error = await stack.client.chat.completions.create({ model: 'agent-a', messages: [{ role: 'user', content: 'x' }] }).catch((caught) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error.status).toBe(503);
    expect(error.error).toMatchObject({ type: expect.any(String), message: expect.any(String) });
    stack.gemini.setDefault({ chunks: [{ text: 'back' }] });
    const completion = await stack.client.chat.completions.create({ model: 'agent-a', messages: [{ role: 'user', content: 'y' }] });
    expect(completion.choices[0]?.message.content).toBe('back');
  });

  it.each([false, true])('counts a slow first byte from Gemini as upstream, not app, in Server-Timing (stream: %s)', async (stream) => {
    const delayMs = 300;
    stack.gemini.enqueue({ chunks: [{ text: 'slow' }], firstDelayMs: delayMs });
    const response = await fetch(`${stack.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'agent-a', stream, messages: [{ role: 'user', content: 'x' }] }),
    });
    const timing = response.headers.get('server-timing') ?? '';
    await response.text();
    const [upstream, app] = ['upstream', 'app'].map((name) => Number(new RegExp(`${name};dur=([\\d.]+)`).exec(timing)?.[1]));
    expect(upstream).toBeGreaterThanOrEqual(delayMs);
    expect(app).toBeLessThan(delayMs);
  });

  it('aborts the upstream request when the client disconnects mid-stream', async () => {
    stack.gemini.enqueue({ chunks: [{ text: 'a' }, { text: 'b' }, { text: 'c' }, { text: 'd' }], delayMs: 300 });
    const controller = new AbortController();
    const stream = await stack.client.chat.completions.create(
      { model: 'agent-a', messages: [{ role: 'user', content: 'long' }], stream: true },
      { signal: controller.signal },
    );
    const abortsBefore = stack.gemini.aborted;
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) {
        controller.abort();
        break;
      }
    }
    await stack.gemini.waitForAborts(abortsBefore + 1);
    expect(stack.gemini.aborted).toBe(abortsBefore + 1);
  });
});

describe('without GEMINI_API_KEY', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ agents: { 'a.yaml': agentYaml('agent-a') }, env: { GEMINI_API_KEY: '' } });
  });
  afterAll(() => stack.close());

  it('still lists models and answers chat with a 503 naming the variable', async () => {
    const models = await stack.client.models.list();
    expect(models.data.map((model) => model.id)).toEqual(['agent-a']);
    const error = await stack.client.chat.completions.create({ model: 'agent-a', messages: [{ role: 'user', content: 'x' }] }).catch((caught) => caught);
    expect(error.status).toBe(503);
    expect(error.message).toContain('GEMINI_API_KEY');
  });
});
