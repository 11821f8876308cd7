import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI, { APIError, RateLimitError } from 'openai';
import { AgentLLMError } from '../../src/errors.ts';
import type { TurnEvent } from '../../src/run/turn.ts';
import { postJson, sleep, startTestServer, USAGE, type TestServer } from './test-server.ts';

let server: TestServer;
let client: OpenAI;
beforeAll(async () => {
  server = await startTestServer({ heartbeatMs: 60 });
  client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'open', maxRetries: 0 });
});
afterAll(() => server.close());

const ask = { model: 'helper', messages: [{ role: 'user' as const, content: 'hi' }] };

/** Reads a raw SSE response to its end. */
async function readAll(response: Response): Promise<string> {
  return await response.text();
}

function dataEvents(raw: string): unknown[] {
  return raw
    .split('\n\n')
    .filter((block) => block.startsWith('data: '))
    .map((block) => block.slice('data: '.length))
    .map((data) => (data === '[DONE]' ? data : JSON.parse(data)));
}

describe('streaming', () => {
  it('sends role, content, final chunk, usage chunk and [DONE] with SSE headers', async () => {
    const response = await postJson(`${server.url}/v1/chat/completions`, {
      ...ask,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('x-accel-buffering')).toBe('no');
    expect(response.headers.get('content-encoding')).toBeNull();
    expect(response.headers.get('x-request-id')).toBeTruthy();
    expect(response.headers.get('server-timing')).toMatch(/^upstream;dur=[\d.]+, app;dur=[\d.]+, total;dur=[\d.]+$/);
    const events = dataEvents(await readAll(response));
    const first = events[0] as { id: string; created: number };
    const common = { id: first.id, object: 'chat.completion.chunk', created: first.created, model: 'helper' };
    const choice = (delta: unknown, finish: string | null = null): unknown => ({
      ...common,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      usage: null,
    });
    expect(first.id).toMatch(/^chatcmpl-/);
    expect(events).toEqual([
      choice({ role: 'assistant', content: '' }),
      choice({ content: 'Hello ' }),
      choice({ content: 'world' }),
      choice({}, 'stop'),
      { ...common, choices: [], usage: { prompt_tokens: 11, completion_tokens: 3, total_tokens: 14 } },
      '[DONE]',
    ]);
  });

  it('leaves out the usage chunk without include_usage and works through the openai client', async () => {
    const stream = await client.chat.completions.create({ ...ask, stream: true });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('Hello world');
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.every((chunk) => chunk.usage === undefined)).toBe(true);
    expect(server.requests.at(-1)?.stream).toBe(true);
  });

  it('delivers each chunk the moment it is produced', async () => {
    let releaseSecond: () => void = () => {};
    const clientSawFirst = new Promise<void>((resolve) => (releaseSecond = resolve));
    let secondWaitedForClient = false;
    server.setScript(async function* (): AsyncIterable<TurnEvent> {
      yield { type: 'text', text: 'one' };
      secondWaitedForClient = await Promise.race([clientSawFirst.then(() => true), sleep(3000).then(() => false)]);
      yield { type: 'text', text: 'two' };
      yield { type: 'done', finishReason: 'stop', usage: USAGE };
    });
    const stream = await client.chat.completions.create({ ...ask, stream: true, stream_options: { include_usage: true } });
    const texts: string[] = [];
    let usage: unknown;
    for await (const chunk of stream) {
      const text = chunk.choices[0]?.delta.content;
      if (text) texts.push(text);
      if (text === 'one') releaseSecond();
      if (chunk.usage) usage = chunk.usage;
    }
    expect(secondWaitedForClient).toBe(true);
    expect(texts).toEqual(['one', 'two']);
    expect(usage).toEqual({ prompt_tokens: 11, completion_tokens: 3, total_tokens: 14 });
  });

  it('streams reasoning_content deltas', async () => {
    server.setScript(async function* (): AsyncIterable<TurnEvent> {
      yield { type: 'reasoning', text: 'Let me think.' };
      yield { type: 'text', text: 'Answer.' };
      yield { type: 'done', finishReason: 'stop', usage: USAGE };
    });
    const events = dataEvents(await readAll(await postJson(`${server.url}/v1/chat/completions`, { ...ask, stream: true })));
    const deltas = events.slice(0, -1).map((event) => (event as { choices: Array<{ delta: unknown }> }).choices[0]?.delta);
    expect(deltas).toEqual([{ role: 'assistant', content: '' }, { reasoning_content: 'Let me think.' }, { content: 'Answer.' }, {}]);
  });

  it('sends keepalive comments while nothing happens, which the openai client ignores', async () => {
    server.setScript(async function* (): AsyncIterable<TurnEvent> {
      yield { type: 'text', text: 'a' };
      await sleep(140);
      yield { type: 'text', text: 'b' };
      yield { type: 'done', finishReason: 'stop', usage: USAGE };
    });
    const raw = await readAll(await postJson(`${server.url}/v1/chat/completions`, { ...ask, stream: true }));
    expect(raw).toMatch(/"content":"a".*\n\n(: keepalive\n\n)+data: .*"content":"b"/s);
    const stream = await client.chat.completions.create({ ...ask, stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('ab');
  });

  it("splits the time before the headers into upstream (run/'s model wait) and app (everything else)", async () => {
    server.setScript(async function* (request): AsyncIterable<TurnEvent> {
      request.meter.upstreamMs = 12;
      await sleep(40); // our own code, e.g. reading the session: not upstream
      yield { type: 'text', text: 'ok' };
      yield { type: 'done', finishReason: 'stop', usage: USAGE };
    });
    const response = await postJson(`${server.url}/v1/chat/completions`, { ...ask, stream: true });
    const timing = response.headers.get('server-timing') ?? '';
    await readAll(response);
    expect(timing).toMatch(/^upstream;dur=12, app;dur=[\d.]+, total;dur=[\d.]+$/);
    expect(Number(/app;dur=([\d.]+)/.exec(timing)?.[1])).toBeGreaterThanOrEqual(27);
  });

  it('counts a model wait still in progress when a keepalive opens the stream', async () => {
    server.setScript(async function* (request): AsyncIterable<TurnEvent> {
      request.meter.waitingSince = performance.now();
      await sleep(150);
      request.meter.waitingSince = undefined;
      yield { type: 'text', text: 'late' };
      yield { type: 'done', finishReason: 'stop', usage: USAGE };
    });
    const response = await postJson(`${server.url}/v1/chat/completions`, { ...ask, stream: true });
    const timing = response.headers.get('server-timing') ?? '';
    expect(await readAll(response)).toMatch(/^: keepalive/);
    expect(Number(/upstream;dur=([\d.]+)/.exec(timing)?.[1])).toBeGreaterThanOrEqual(45);
  });

  it('answers an error before the first event with a normal error response', async () => {
    server.setScript(async function* (): AsyncIterable<TurnEvent> {
      throw new AgentLLMError('quota exceeded', { status: 429, code: 'upstream_rate_limited' });
    });
    const error = await client.chat.completions.create({ ...ask, stream: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
  });

  it('turns an error after the stream started into an error event the openai client throws', async () => {
    server.setScript(async function* (): AsyncIterable<TurnEvent> {
      yield { type: 'text', text: 'partial' };
      throw new AgentLLMError('the model stopped responding', { status: 502, type: 'upstream_error', code: 'upstream_failed' });
    });
    const raw = await readAll(await postJson(`${server.url}/v1/chat/completions`, { ...ask, stream: true }));
    expect(raw).not.toContain('[DONE]');
    expect(dataEvents(raw).at(-1)).toEqual({
      error: { message: 'the model stopped responding', type: 'upstream_error', param: null, code: 'upstream_failed' },
    });

    const stream = await client.chat.completions.create({ ...ask, stream: true });
    const texts: string[] = [];
    const error = await (async () => {
      for await (const chunk of stream) texts.push(chunk.choices[0]?.delta.content ?? '');
    })().catch((e: unknown) => e);
    expect(texts).toContain('partial');
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).message).toContain('the model stopped responding');
  });

  it('opens the stream with a keepalive on a slow start, so a later error arrives as an error event', async () => {
    server.setScript(async function* (): AsyncIterable<TurnEvent> {
      await sleep(150);
      throw new AgentLLMError('credentials expired', { status: 401, code: 'toolkit_auth' });
    });
    const response = await postJson(`${server.url}/v1/chat/completions`, { ...ask, stream: true });
    expect(response.status).toBe(200);
    const raw = await readAll(response);
    expect(raw.startsWith(': keepalive\n\n')).toBe(true);
    expect(dataEvents(raw)).toEqual([
      { error: { message: 'credentials expired', type: 'authentication_error', param: null, code: 'toolkit_auth' } },
    ]);
  });

  it('aborts the turn signal when the client stops reading', async () => {
    let signal: AbortSignal | undefined;
    let finished = false;
    server.setScript(async function* (request): AsyncIterable<TurnEvent> {
      signal = request.signal;
      try {
        yield { type: 'text', text: 'first' };
        await Promise.race([new Promise((resolve) => request.signal.addEventListener('abort', resolve)), sleep(3000)]);
        yield { type: 'text', text: 'second' };
      } finally {
        finished = true;
      }
    });
    const controller = new AbortController();
    const stream = await client.chat.completions.create({ ...ask, stream: true }, { signal: controller.signal });
    const done = (async () => {
      for await (const chunk of stream) if (chunk.choices[0]?.delta.content === 'first') controller.abort();
    })().catch(() => undefined);
    await done;
    for (let i = 0; i < 50 && !finished; i++) await sleep(20);
    expect(signal?.aborted).toBe(true);
    expect(finished).toBe(true);
  });

  it('is still serving after all of the above', async () => {
    server.setScript(async function* (): AsyncIterable<TurnEvent> {
      yield { type: 'text', text: 'still here' };
      yield { type: 'done', finishReason: 'stop', usage: USAGE };
    });
    const completion = await client.chat.completions.create(ask);
    expect(completion.choices[0]?.message.content).toBe('still here');
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });
});
