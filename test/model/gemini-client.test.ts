import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGeminiClient } from '../../src/model/gemini-client.ts';
import type { GeminiTransport } from '../../src/model/gemini-options.ts';
import type { ModelClient, ModelEvent, ModelRequest } from '../../src/model/model-client.ts';
import { startFakeGemini, type FakeGemini } from '../fakes/gemini-server.ts';

const KEY = 'test-key-123';
let fake: FakeGemini;
let client: ModelClient;

beforeAll(async () => {
  fake = await startFakeGemini({ apiKey: KEY });
});
afterAll(() => fake.close());
beforeEach(() => { fake.requests.length = 0; });

function request(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return { model: 'gemini-2.5-flash', system: '', messages: [{ role: 'user', text: 'hello' }], tools: [], settings: {}, ...overrides };
}

async function collect(events: AsyncIterable<ModelEvent>): Promise<ModelEvent[]> {
  const all: ModelEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

// Every case over both ways the SDK's requests can travel (GEMINI_TRANSPORT).
describe.each<GeminiTransport>(['node', 'fetch'])('over the %s transport', (transport) => {
  beforeAll(() => { client = createGeminiClient({ apiKey: KEY, baseUrl: fake.url, retry: { baseDelayMs: 1, maxDelayMs: 5 }, transport }); });

  describe('text answers', () => {
    it('answers without streaming through generateContent with the key in x-goog-api-key', async () => {
      fake.enqueue({ chunks: [{ text: 'Hello ' }, { text: 'there' }], usage: { promptTokenCount: 4, candidatesTokenCount: 2, totalTokenCount: 6 } });
      const events = await collect(client.call(request(), { stream: false }));
      expect(events).toEqual([
        { type: 'text', text: 'Hello there' },
        { type: 'done', finishReason: 'stop', usage: { promptTokens: 4, completionTokens: 2, totalTokens: 6 } },
      ]);
      expect(fake.requests[0]).toMatchObject({ path: '/v1beta/models/gemini-2.5-flash:generateContent', stream: false });
      expect(fake.requests[0]?.headers['x-goog-api-key']).toBe(KEY);
    });

    it('streams each upstream chunk as its own event, as soon as it arrives', async () => {
      fake.enqueue({ chunks: [{ text: 'one' }, { text: 'two' }, { text: 'three' }], delayMs: 150 });
      const iterator = client.call(request(), { stream: true })[Symbol.asyncIterator]();
      const first = await iterator.next();
      expect(first.value).toEqual({ type: 'text', text: 'one' });
      const received = Date.now();
      const second = await iterator.next();
      expect(second.value).toEqual({ type: 'text', text: 'two' });
      expect(Date.now() - received).toBeGreaterThanOrEqual(100);
      const rest: ModelEvent[] = [];
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) rest.push(next.value);
      expect(rest.map((event) => event.type)).toEqual(['text', 'done']);
      expect(fake.requests[0]?.path).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
    });

    it('answers "echo: <last user text>" when nothing is scripted', async () => {
      const events = await collect(client.call(request({ messages: [{ role: 'user', text: 'ping' }] }), { stream: true }));
      expect(events[0]).toEqual({ type: 'text', text: 'echo: ping' });
    });
  });

  describe('request shape', () => {
    it('sends settings as generationConfig, the system instruction and the tools', async () => {
      const parameters = { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] };
      await collect(client.call(request({
        system: 'You are terse.',
        tools: [{ name: 'search', description: 'Search things', parameters }],
        settings: {
          temperature: 0.2, maxTokens: 64, topP: 0.8, topK: 20, stop: ['STOP!'], seed: 42,
          presencePenalty: 0.1, frequencyPenalty: 0.3, thinking: { budget: 512, includeThoughts: true },
        },
      }), { stream: true }));
      const body = fake.requests[0]!.body;
      expect(body.generationConfig).toEqual({
        temperature: 0.2, maxOutputTokens: 64, topP: 0.8, topK: 20, stopSequences: ['STOP!'], seed: 42,
        presencePenalty: 0.1, frequencyPenalty: 0.3, thinkingConfig: { thinkingBudget: 512, includeThoughts: true },
      });
      expect(body.systemInstruction).toEqual({ parts: [{ text: 'You are terse.' }] });
      expect(body.tools).toEqual([{ functionDeclarations: [{ name: 'search', description: 'Search things', parametersJsonSchema: parameters }] }]);
      expect(body.contents).toEqual([{ role: 'user', parts: [{ text: 'hello' }] }]);
    });

    it('leaves out tools, system instruction and generation config when there are none', async () => {
      await collect(client.call(request(), { stream: false }));
      const body = fake.requests[0]!.body;
      expect(body.tools).toBeUndefined();
      expect(body.systemInstruction).toBeUndefined();
      expect(body.generationConfig ?? {}).toEqual({});
    });
  });

  describe('function calls', () => {
    it('yields tool calls with their signature, then sends the function response back in Gemini shape', async () => {
      fake.enqueue({ chunks: [{ functionCall: { name: 'search', args: { q: 'bugs' } }, signature: 'c2ln' }] });
      const events = await collect(client.call(request(), { stream: true }));
      const callEvent = events[0];
      expect(callEvent).toMatchObject({ type: 'tool_call', call: { name: 'search', args: { q: 'bugs' }, signature: 'c2ln' } });
      expect(events[1]).toMatchObject({ type: 'done', finishReason: 'tool_calls' });
      if (callEvent?.type !== 'tool_call') throw new Error('expected a tool call');

      fake.enqueue({ chunks: [{ text: 'Found 2.' }] });
      const second = await collect(client.call(request({
        messages: [
          { role: 'user', text: 'hello' },
          { role: 'assistant', text: '', toolCalls: [callEvent.call] },
          { role: 'tool', results: [{ id: callEvent.call.id, name: 'search', result: { count: 2 }, isError: false }] },
        ],
      }), { stream: true }));
      expect(second[0]).toEqual({ type: 'text', text: 'Found 2.' });
      expect(fake.requests[1]!.body.contents).toEqual([
        { role: 'user', parts: [{ text: 'hello' }] },
        { role: 'model', parts: [{ functionCall: { name: 'search', args: { q: 'bugs' } }, thoughtSignature: 'c2ln' }] },
        { role: 'user', parts: [{ functionResponse: { name: 'search', response: { result: { count: 2 } } } }] },
      ]);
    });

    it('keeps ids Gemini gave to its function calls', async () => {
      fake.enqueue({ chunks: [{ functionCall: { id: 'fc-7', name: 'now' } }] });
      const events = await collect(client.call(request(), { stream: false }));
      expect(events[0]).toEqual({ type: 'tool_call', call: { id: 'fc-7', name: 'now', args: {} } });
    });
  });

  describe('thinking, usage and finish reasons', () => {
    it('turns thoughts into reasoning events and counts thinking tokens', async () => {
      fake.enqueue({
        chunks: [{ thought: 'Let me think' }, { text: 'Answer' }],
        usage: { promptTokenCount: 10, candidatesTokenCount: 3, thoughtsTokenCount: 7, totalTokenCount: 20 },
      });
      const events = await collect(client.call(request(), { stream: true }));
      expect(events).toEqual([
        { type: 'reasoning', text: 'Let me think' },
        { type: 'text', text: 'Answer' },
        { type: 'done', finishReason: 'stop', usage: { promptTokens: 10, completionTokens: 10, totalTokens: 20, reasoningTokens: 7 } },
      ]);
    });

    it.each([['MAX_TOKENS', 'length'], ['SAFETY', 'content_filter'], ['STOP', 'stop']])('maps %s to %s', async (upstream, expected) => {
      fake.enqueue({ chunks: [{ text: 'x' }], finishReason: upstream });
      const events = await collect(client.call(request(), { stream: true }));
      expect(events.at(-1)).toMatchObject({ type: 'done', finishReason: expected });
    });
  });
});
