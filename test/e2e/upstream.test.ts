import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { sseContent } from './chat-client.ts';
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

  it.each([false, true])('passes a long upstream retry hint on at once as 429 Retry-After, without a doomed retry (stream: %s)', async (stream) => {
    const before = stack.gemini.requests.length;
    stack.gemini.enqueue({ status: 429, retryAfterSeconds: 30 });
    const response = await fetch(`${stack.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'agent-a', stream, messages: [{ role: 'user', content: 'quota' }] }),
    });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('30');
    expect(await response.json()).toMatchObject({ error: { type: 'rate_limit_error', code: 'upstream_rate_limited' } });
    expect(stack.gemini.requests.length - before).toBe(1);
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

  it.each([false, true])('splits the time of a failed request into upstream and app in Server-Timing (stream: %s)', async (stream) => {
    const delayMs = 300;
    stack.gemini.enqueue({ status: 400, message: 'Request contains an invalid argument.', firstDelayMs: delayMs });
    const response = await fetch(`${stack.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'agent-a', stream, messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(response.status).toBe(400);
    const timing = response.headers.get('server-timing') ?? '';
    await response.text();
    const [upstream, app] = ['upstream', 'app'].map((name) => Number(new RegExp(`${name};dur=([\\d.]+)`).exec(timing)?.[1]));
    expect(upstream).toBeGreaterThanOrEqual(delayMs);
    expect(app).toBeLessThan(delayMs);
    expect(timing.match(/upstream;/g)).toHaveLength(1);
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

describe('what Gemini answers reaches the client', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ agents: { 'a.yaml': agentYaml('agent-a') } });
  });
  afterAll(() => stack.close());

  /** One question, streaming or not: the text and the finish reason the openai client saw. */
  async function ask(stream: boolean): Promise<{ text: string; finish: string | null | undefined }> {
    const messages = [{ role: 'user' as const, content: 'question' }];
    if (!stream) {
      const completion = await stack.client.chat.completions.create({ model: 'agent-a', messages });
      return { text: completion.choices[0]?.message.content ?? '', finish: completion.choices[0]?.finish_reason };
    }
    let text = '';
    let finish: string | null | undefined;
    for await (const chunk of await stack.client.chat.completions.create({ model: 'agent-a', messages, stream: true })) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    return { text, finish };
  }

  it.each([
    ['MAX_TOKENS', 'length'],
    ['SAFETY', 'content_filter'],
    ['STOP', 'stop'],
  ])('maps finishReason %s to finish_reason %s, streaming and not', async (finishReason, expected) => {
    for (const stream of [false, true]) {
      stack.gemini.enqueue({ chunks: [{ text: 'partial ' }, { text: 'answer' }], finishReason });
      expect(await ask(stream)).toEqual({ text: 'partial answer', finish: expected });
    }
  });

  it('answers a prompt Gemini blocked (promptFeedback.blockReason, no candidates) with finish_reason content_filter', async () => {
    for (const stream of [false, true]) {
      stack.gemini.enqueue({ blockReason: 'PROHIBITED_CONTENT' });
      expect(await ask(stream)).toEqual({ text: '', finish: 'content_filter' });
    }
  });

  it('retries a 503 and then answers, streaming and not', async () => {
    for (const stream of [false, true]) {
      const before = stack.gemini.requests.length;
      stack.gemini.enqueue({ status: 503, message: 'The model is overloaded.' }, { chunks: [{ text: 'second try' }] });
      expect(await ask(stream)).toEqual({ text: 'second try', finish: 'stop' });
      expect(stack.gemini.requests.length - before).toBe(2);
    }
  });

  it('ends a stream whose upstream breaks mid-answer with an error event and no [DONE]', async () => {
    stack.gemini.enqueue({ chunks: [{ text: 'half ' }, { text: 'an answer' }], cutAfterChunks: true });
    const response = await fetch(`${stack.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'agent-a', stream: true, messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(response.status).toBe(200);
    const raw = await response.text(); // resolves: the server closed the stream
    expect(sseContent(raw.split('\n').filter((line) => !line.includes('"error"')).join('\n'))).toBe('half an answer');
    const events = raw.split('\n').filter((line) => line.startsWith('data: '));
    expect(events.at(-1)).not.toBe('data: [DONE]');
    const last = JSON.parse(events.at(-1)!.slice(6)) as { error: { type: string; code: string; message: string } };
    expect(last.error).toMatchObject({ type: 'upstream_error', code: 'upstream_interrupted', message: expect.stringMatching(/^The connection to Gemini broke during the answer/) });

    stack.gemini.enqueue({ chunks: [{ text: 'a' }, { text: 'b' }], cutAfterChunks: true });
    const texts: string[] = [];
    const error = await (async () => {
      for await (const chunk of await stack.client.chat.completions.create({ model: 'agent-a', stream: true, messages: [{ role: 'user', content: 'x' }] })) {
        texts.push(chunk.choices[0]?.delta.content ?? '');
      }
    })().then(() => undefined, (caught: unknown) => caught);
    expect(texts.join('')).toBe('ab');
    expect(error).toBeInstanceOf(OpenAI.APIError);
  });

  it('aborts the upstream request when a non-streaming client disconnects', async () => {
    const requests = stack.gemini.requests.length;
    const aborts = stack.gemini.aborted;
    stack.gemini.enqueue({ chunks: [{ text: 'too late' }], firstDelayMs: 5000 });
    const controller = new AbortController();
    const pending = stack.client.chat.completions
      .create({ model: 'agent-a', messages: [{ role: 'user', content: 'slow' }] }, { signal: controller.signal })
      .then(() => undefined, (caught: unknown) => caught);
    await stack.gemini.waitForRequests(requests + 1);
    controller.abort();
    expect(await pending).toBeInstanceOf(OpenAI.APIUserAbortError);
    await stack.gemini.waitForAborts(aborts + 1);
    expect(stack.gemini.aborted).toBe(aborts + 1);
    expect((await ask(false)).text).toBe('echo: question');
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
