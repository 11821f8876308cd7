import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI, { InternalServerError, RateLimitError } from 'openai';
import { AgentLLMError } from '../../src/errors.ts';
import type { TurnEvent } from '../../src/run/turn.ts';
import { postJson, sleep, startTestServer, USAGE, type TestServer } from './test-server.ts';

const KEY = 'chat-key';
let server: TestServer;
let client: OpenAI;
beforeAll(async () => {
  server = await startTestServer({ apiKey: KEY });
  client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: KEY, maxRetries: 0 });
});
afterAll(() => server.close());

describe('non-streaming chat completion', () => {
  it('returns the exact chat.completion shape', async () => {
    const response = await postJson(
      `${server.url}/v1/chat/completions`,
      { model: 'helper', messages: [{ role: 'user', content: 'hi' }] },
      { Authorization: `Bearer ${KEY}` },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const body = (await response.json()) as { id: string; created: number };
    expect(body).toEqual({
      id: expect.stringMatching(/^chatcmpl-/),
      object: 'chat.completion',
      created: expect.any(Number),
      model: 'helper',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello world' }, logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: 11, completion_tokens: 3, total_tokens: 14 },
    });
    expect(Math.abs(body.created - Date.now() / 1000)).toBeLessThan(5);
  });

  it('hands run/ the converted request', async () => {
    await client.chat.completions.create({
      model: 'writer',
      messages: [
        { role: 'system', content: 'Be terse.' },
        { role: 'user', content: 'Write a haiku' },
      ],
      temperature: 0.5,
      max_completion_tokens: 100,
      stop: 'END',
    });
    const request = server.requests.at(-1);
    expect(request?.agent.name).toBe('writer');
    expect(request?.snapshot.agents.size).toBe(2);
    expect(request?.system).toEqual(['Be terse.']);
    expect(request?.messages).toEqual([{ role: 'user', text: 'Write a haiku' }]);
    expect(request?.settings).toEqual({ temperature: 0.5, maxTokens: 100, stop: ['END'] });
    expect(request?.stream).toBe(false);
    expect(request?.user).toEqual({ id: 'anonymous' });
    expect(request?.sessionId).toBeUndefined();
    expect(request?.signal.aborted).toBe(false);
  });

  it('includes reasoning_content and reasoning tokens', async () => {
    server.setScript(async function* () {
      yield { type: 'reasoning', text: 'Thinking...' };
      yield { type: 'text', text: 'Done.' };
      yield { type: 'done', finishReason: 'length', usage: { ...USAGE, reasoningTokens: 2 } };
    });
    const completion = await client.chat.completions.create({ model: 'helper', messages: [{ role: 'user', content: 'x' }] });
    expect(completion.choices[0]?.message).toEqual({ role: 'assistant', content: 'Done.', reasoning_content: 'Thinking...' });
    expect(completion.choices[0]?.finish_reason).toBe('length');
    expect(completion.usage?.completion_tokens_details).toEqual({ reasoning_tokens: 2 });
  });

  it('sends Server-Timing with upstream (as run/ measured it), app and total', async () => {
    server.setScript(async function* (request) {
      await sleep(30);
      request.meter.upstreamMs = 25.04;
      yield { type: 'text', text: 'ok' };
      yield { type: 'done', finishReason: 'stop', usage: USAGE };
    });
    const response = await postJson(
      `${server.url}/chat/completions`,
      { model: 'helper', messages: [{ role: 'user', content: 'x' }] },
      { Authorization: `Bearer ${KEY}` },
    );
    const timing = response.headers.get('server-timing') ?? '';
    expect(timing).toMatch(/^upstream;dur=25, app;dur=\d+(\.\d)?, total;dur=\d+(\.\d)?$/);
    const total = Number(/total;dur=([\d.]+)/.exec(timing)?.[1]);
    expect(total).toBeGreaterThanOrEqual(25);
    expect(response.headers.get('x-request-id')).toBeTruthy();
  });

  it('passes an AgentLLMError thrown by run/ through with its status and Retry-After', async () => {
    server.setScript(async function* (): AsyncIterable<TurnEvent> {
      throw new AgentLLMError('Gemini is rate limiting this key', { status: 429, code: 'upstream_rate_limited', retryAfter: 7 });
    });
    const error = await client.chat.completions.create({ model: 'helper', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).message).toContain('Gemini is rate limiting this key');
    expect((error as RateLimitError).headers.get('retry-after')).toBe('7');
  });

  it('renders any other error as a 500 "internal error" without details, and logs the stack', async () => {
    server.setScript(async function* (): AsyncIterable<TurnEvent> {
      throw new Error('secret database path /var/x');
    });
    const response = await postJson(
      `${server.url}/v1/chat/completions`,
      { model: 'helper', messages: [{ role: 'user', content: 'x' }] },
      { Authorization: `Bearer ${KEY}` },
    );
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: { message: 'internal error', type: 'server_error', param: null, code: 'internal_error' } });
    expect(text).not.toContain('secret');
    const logged = server.logLines.find((line) => line.level === 50);
    expect(JSON.stringify(logged)).toContain('secret database path');
    expect(JSON.stringify(logged)).toContain('stack');
  });

  it('aborts the turn signal when the client disconnects', async () => {
    let seen: AbortSignal | undefined;
    server.setScript(async function* (request): AsyncIterable<TurnEvent> {
      seen = request.signal;
      await Promise.race([new Promise((resolve) => request.signal.addEventListener('abort', resolve)), sleep(3000)]);
      yield { type: 'text', text: 'too late' };
    });
    const controller = new AbortController();
    const aborted = fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: 'helper', messages: [{ role: 'user', content: 'x' }] }),
      signal: controller.signal,
    }).catch((e: unknown) => e);
    await sleep(100);
    controller.abort();
    await aborted;
    await sleep(100);
    expect(seen?.aborted).toBe(true);
    const log = server.logLines.find((line) => line.msg === 'request' && line.aborted === true);
    expect(log).toMatchObject({ status: 499, agent: 'helper' });
  });
});
