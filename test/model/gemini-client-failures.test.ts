import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AgentLLMError } from '../../src/errors.ts';
import { createGeminiClient } from '../../src/model/gemini-client.ts';
import type { GeminiTransport } from '../../src/model/gemini-options.ts';
import type { ModelClient, ModelEvent, ModelRequest } from '../../src/model/model-client.ts';
import { startFakeGemini, type FakeGemini } from '../fakes/gemini-server.ts';

const KEY = 'secret-test-key';
let fake: FakeGemini;
let client: ModelClient;

beforeAll(async () => {
  fake = await startFakeGemini({ apiKey: KEY });
});
afterAll(() => fake.close());
beforeEach(() => { fake.requests.length = 0; });

const request: ModelRequest = { model: 'gemini-2.5-flash', system: '', messages: [{ role: 'user', text: 'hi' }], tools: [], settings: {} };

async function collect(events: AsyncIterable<ModelEvent>): Promise<ModelEvent[]> {
  const all: ModelEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

async function failure(events: AsyncIterable<ModelEvent>): Promise<AgentLLMError> {
  const error = await collect(events).then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(AgentLLMError);
  return error as AgentLLMError;
}

// Every case over both ways the SDK's requests can travel (GEMINI_TRANSPORT).
describe.each<GeminiTransport>(['node', 'fetch'])('over the %s transport', (transport) => {
  beforeAll(() => { client = createGeminiClient({ apiKey: KEY, baseUrl: fake.url, retry: { baseDelayMs: 1, maxDelayMs: 5 }, timeoutMs: 2000, transport }); });

  describe('retries', () => {
    it('retries a 429 and then answers', async () => {
      fake.enqueue({ status: 429 }, { chunks: [{ text: 'ok' }] });
      const events = await collect(client.call(request, { stream: true }));
      expect(events[0]).toEqual({ type: 'text', text: 'ok' });
      expect(fake.requests).toHaveLength(2);
    });

    it('gives up after three 503s with a 503', async () => {
      fake.enqueue({ status: 503 }, { status: 503 }, { status: 503 });
      const error = await failure(client.call(request, { stream: false }));
      expect(error).toMatchObject({ status: 503, code: 'upstream_unavailable', type: 'service_unavailable' });
      expect(fake.requests).toHaveLength(3);
    });

    it('maps a lasting 429 to a rate-limit error carrying the upstream retry delay', async () => {
      const patient = createGeminiClient({ apiKey: KEY, baseUrl: fake.url, retry: { baseDelayMs: 1, maxDelayMs: 2000 }, transport });
      fake.enqueue({ status: 429, retryAfterSeconds: 0.05 }, { status: 429, retryAfterSeconds: 0.05 }, { status: 429, retryAfterSeconds: 0.05 });
      const error = await failure(patient.call(request, { stream: true }));
      expect(error).toMatchObject({ status: 429, type: 'rate_limit_error', code: 'upstream_rate_limited', retryAfter: 1 });
      expect(fake.requests).toHaveLength(3);
    });

    it.each([true, false])('fails at once with the hint as retryAfter when upstream asks for a longer wait than maxDelayMs (stream: %s)', async (stream) => {
      fake.enqueue({ status: 429, retryAfterSeconds: 30 });
      const error = await failure(client.call(request, { stream }));
      expect(error).toMatchObject({ status: 429, code: 'upstream_rate_limited', retryAfter: 30 });
      expect(fake.requests).toHaveLength(1);
    });

    it('waits for an upstream retry delay within maxDelayMs, then retries', async () => {
      const patient = createGeminiClient({ apiKey: KEY, baseUrl: fake.url, retry: { baseDelayMs: 1, maxDelayMs: 2000 }, transport });
      fake.enqueue({ status: 429, retryAfterSeconds: 0.2 }, { chunks: [{ text: 'ok' }] });
      const started = Date.now();
      const events = await collect(patient.call(request, { stream: true }));
      expect(events[0]).toEqual({ type: 'text', text: 'ok' });
      expect(fake.requests).toHaveLength(2);
      expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    });

    it('maps 500 to 502 upstream_error', async () => {
      fake.enqueue({ status: 500 }, { status: 500 }, { status: 500 });
      expect(await failure(client.call(request, { stream: true }))).toMatchObject({ status: 502, code: 'upstream_error' });
    });

    it('does not retry once something was yielded', async () => {
      fake.enqueue({ chunks: [{ text: 'partial' }], cutAfterChunks: true });
      const events: ModelEvent[] = [];
      const error = await (async () => { for await (const event of client.call(request, { stream: true })) events.push(event); })()
        .then(() => undefined, (caught: unknown) => caught);
      expect(events).toEqual([{ type: 'text', text: 'partial' }]);
      expect(error).toBeInstanceOf(AgentLLMError);
      expect(fake.requests).toHaveLength(1);
    });

    it('retries an answer whose connection broke halfway through its body (not streaming)', async () => {
      fake.enqueue({ chunks: [{ text: 'lost' }], cutAfterChunks: true }, { chunks: [{ text: 'whole' }] });
      const events = await collect(client.call(request, { stream: false }));
      expect(events[0]).toEqual({ type: 'text', text: 'whole' });
      expect(fake.requests).toHaveLength(2);
    });

    it('reports an unreachable Gemini as 502 upstream_unreachable', async () => {
      const closed = await startFakeGemini();
      const url = closed.url;
      await closed.close();
      const offline = createGeminiClient({ apiKey: KEY, baseUrl: url, retry: { baseDelayMs: 1, maxDelayMs: 2 }, transport });
      expect(await failure(offline.call(request, { stream: true }))).toMatchObject({ status: 502, code: 'upstream_unreachable' });
    });
  });

  describe('errors that are not retried', () => {
    it('passes a 400 through with upstream message', async () => {
      fake.enqueue({ status: 400, message: 'Invalid value at contents[0]' }, { chunks: [{ text: 'never' }] });
      const error = await failure(client.call(request, { stream: true }));
      expect(error).toMatchObject({ status: 400, message: 'Invalid value at contents[0]' });
      expect(fake.requests).toHaveLength(1);
      await collect(client.call(request, { stream: true }));
    });

    it('says the key was rejected without leaking it', async () => {
      const wrong = createGeminiClient({ apiKey: 'wrong-key-456', baseUrl: fake.url, transport });
      const error = await failure(wrong.call(request, { stream: false }));
      expect(error).toMatchObject({ status: 502, code: 'upstream_auth_failed' });
      expect(error.message).toMatch(/GEMINI_API_KEY/);
      expect(error.message).not.toContain('wrong-key-456');
      fake.enqueue({ status: 403 });
      expect(await failure(client.call(request, { stream: true }))).toMatchObject({ status: 502, code: 'upstream_auth_failed' });
    });

    it('throws an error that is neither HTTP nor network as it is, without blaming Gemini or retrying', async () => {
      // The SDK's own local check (no contents): a bug on our side, which server/ answers as a 500 internal_error.
      for (const stream of [true, false]) {
        const error = await collect(client.call({ ...request, messages: [] }, { stream })).then(() => undefined, (caught: unknown) => caught);
        expect(error).toBeInstanceOf(Error);
        expect(error).not.toBeInstanceOf(AgentLLMError);
      }
      expect(fake.requests).toHaveLength(0);
    });

    it('fails with 503 naming GEMINI_API_KEY when no key is configured, without calling Gemini', async () => {
      const keyless = createGeminiClient({ baseUrl: fake.url, transport });
      const error = await failure(keyless.call(request, { stream: true }));
      expect(error).toMatchObject({ status: 503, code: 'missing_api_key' });
      expect(error.message).toContain('GEMINI_API_KEY');
      expect(fake.requests).toHaveLength(0);
    });
  });

  describe('abort and timeout', () => {
    it('aborts mid-stream: the caller gets an AbortError and Gemini sees the connection close', async () => {
      const aborts = fake.aborted;
      fake.enqueue({ chunks: [{ text: 'a' }, { text: 'b' }, { text: 'c' }], delayMs: 1000 });
      const controller = new AbortController();
      const events: ModelEvent[] = [];
      const error = await (async () => {
        for await (const event of client.call({ ...request, signal: controller.signal }, { stream: true })) {
          events.push(event);
          controller.abort();
        }
      })().then(() => undefined, (caught: unknown) => caught);
      expect(events).toEqual([{ type: 'text', text: 'a' }]);
      expect(error).toMatchObject({ name: 'AbortError' });
      await fake.waitForAborts(aborts + 1);
    });

    it('closes the upstream connection when the consumer stops reading', async () => {
      const aborts = fake.aborted;
      fake.enqueue({ chunks: [{ text: 'a' }, { text: 'b' }], delayMs: 1000 });
      for await (const event of client.call(request, { stream: true })) if (event.type === 'text') break;
      await fake.waitForAborts(aborts + 1);
    });

    it('stops retrying as soon as the caller aborts', async () => {
      const slow = createGeminiClient({ apiKey: KEY, baseUrl: fake.url, retry: { baseDelayMs: 5000, maxDelayMs: 5000 }, transport });
      fake.enqueue({ status: 503, retryAfterSeconds: 5 }, { chunks: [{ text: 'never' }] });
      const controller = new AbortController();
      const started = Date.now();
      const pending = collect(slow.call({ ...request, signal: controller.signal }, { stream: true }));
      setTimeout(() => controller.abort(), 50);
      await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
      expect(Date.now() - started).toBeLessThan(2000);
      expect(fake.requests).toHaveLength(1);
      await collect(client.call(request, { stream: true }));
    });

    it('gives up on a silent Gemini after timeoutMs with a 504', async () => {
      const impatient = createGeminiClient({ apiKey: KEY, baseUrl: fake.url, timeoutMs: 100, transport });
      fake.enqueue({ hang: true });
      expect(await failure(impatient.call(request, { stream: true }))).toMatchObject({ status: 504, code: 'upstream_timeout' });
    });
  });
});
