import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { createGzip, gzipSync } from 'node:zlib';
import { GoogleGenAI } from '@google/genai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGeminiClient } from '../../src/model/gemini-client.ts';
import type { ModelEvent, ModelRequest } from '../../src/model/model-client.ts';
import { createNodeTransport, installTransport, type Transport } from '../../src/model/sdk-transport.ts';
import { startFakeGemini, type FakeGemini } from '../fakes/gemini-server.ts';

let fake: FakeGemini;
beforeAll(async () => { fake = await startFakeGemini({ apiKey: 'transport-key' }); });
afterAll(() => fake.close());

const GEMINI_ANSWER = JSON.stringify({ candidates: [{ content: { role: 'model', parts: [{ text: 'ok' }] }, finishReason: 'STOP' }] });
const modelRequest: ModelRequest = { model: 'gemini-2.5-flash', system: '', messages: [{ role: 'user', text: 'hi' }], tools: [], settings: {} };

async function collect(events: AsyncIterable<ModelEvent>): Promise<ModelEvent[]> {
  const all: ModelEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

/** A plain HTTP server on loopback, for answers the fake Gemini does not give (cuts, gzip, redirects). */
async function listen(server: http.Server): Promise<{ url: string; close(): Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** The real SDK with its requests going through the node transport, counted on the way. */
function sdkOverTransport(): { ai: GoogleGenAI; urls: string[] } {
  const urls: string[] = [];
  const node = createNodeTransport();
  const counting: Transport = (url, init) => { urls.push(url); return node(url, init); };
  const ai = new GoogleGenAI({ apiKey: 'transport-key', httpOptions: { baseUrl: fake.url } });
  expect(installTransport(ai, counting)).toBe(true);
  return { ai, urls };
}

describe('the SDK over the node transport', () => {
  it('the installed @google/genai sends generateContent and its stream through it', async () => {
    const { ai, urls } = sdkOverTransport();
    fake.enqueue({ chunks: [{ text: 'one' }] }, { chunks: [{ text: 'a' }, { text: 'b' }] });
    const answer = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' });
    expect(answer.text).toBe('one');
    const texts: string[] = [];
    for await (const chunk of await ai.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'hi' })) texts.push(chunk.text ?? '');
    expect(texts).toEqual(['a', 'b']);
    expect(urls).toEqual([
      `${fake.url}/v1beta/models/gemini-2.5-flash:generateContent`,
      `${fake.url}/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse`,
    ]);
    // The answer's headers reach the SDK's response as they came.
    expect(answer.sdkHttpResponse?.headers?.['content-type']).toMatch(/application\/json/);
  });

  it("surfaces Gemini's error body as the SDK's ApiError, with its status", async () => {
    const { ai } = sdkOverTransport();
    fake.enqueue({ status: 429, message: 'quota' });
    await expect(ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' })).rejects.toMatchObject({ name: 'ApiError', status: 429 });
  });

  it('fails like fetch: TypeError "fetch failed" with the cause, AbortError on abort', async () => {
    const node = createNodeTransport();
    const closed = await startFakeGemini();
    await closed.close();
    await expect(node(`${closed.url}/x`, { method: 'POST', body: '{}' })).rejects.toMatchObject({ name: 'TypeError', message: 'fetch failed', cause: { code: 'ECONNREFUSED' } });
    const controller = new AbortController();
    fake.enqueue({ hang: true });
    const pending = node(`${fake.url}/v1beta/models/m:generateContent`, { method: 'POST', body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'x' }] }] }), signal: controller.signal, headers: { 'x-goog-api-key': 'transport-key' } });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('a kept connection the server closed as it is reused is a network error, which the retry policy retries, and only it', async () => {
    // Answers the first request of each connection with a Gemini answer; a second one on the same
    // connection is cut at once, as a server closing an idle keep-alive connection just then.
    let requests = 0;
    const seen = new WeakMap<object, number>();
    const server = await listen(http.createServer((req, res) => {
      requests++;
      const count = (seen.get(req.socket) ?? 0) + 1;
      seen.set(req.socket, count);
      if (count > 1) return void req.socket.destroy();
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(GEMINI_ANSWER));
    }));
    try {
      const node = createNodeTransport();
      expect(await (await node(`${server.url}/x`, { method: 'POST', body: '{}' })).json()).toMatchObject({ candidates: [{}] });
      await expect(node(`${server.url}/x`, { method: 'POST', body: '{}' })).rejects.toMatchObject({ message: 'fetch failed', cause: { code: 'ECONNRESET' } });
      // Through the client: retried on a new connection; with one attempt allowed, sent once.
      const retrying = createGeminiClient({ apiKey: 'k', baseUrl: server.url, retry: { baseDelayMs: 1, maxDelayMs: 2 } });
      requests = 0;
      for (let i = 0; i < 2; i++) expect((await collect(retrying.call(modelRequest, { stream: false })))[0]).toEqual({ type: 'text', text: 'ok' });
      expect(requests).toBe(3);
      const once = createGeminiClient({ apiKey: 'k', baseUrl: server.url, retry: { attempts: 1 } });
      await collect(once.call(modelRequest, { stream: false }));
      requests = 0;
      await expect(collect(once.call(modelRequest, { stream: false }))).rejects.toMatchObject({ status: 502, code: 'upstream_unreachable' });
      expect(requests).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('gives up on a connection not made within the connect timeout (here a TLS handshake that never comes)', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const node = createNodeTransport({ connectTimeoutMs: 150 });
      const started = Date.now();
      await expect(node(`https://127.0.0.1:${(silent.address() as AddressInfo).port}/x`, { method: 'POST', body: '{}' }))
        .rejects.toMatchObject({ message: 'fetch failed', cause: { code: 'ETIMEDOUT' } });
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      sockets.forEach((socket) => socket.destroy());
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('inflates an answer compressed although it asked for none, whole and streamed', async () => {
    let asked: string | undefined;
    const server = await listen(http.createServer((req, res) => {
      asked = req.headers['accept-encoding'];
      req.resume();
      if (!req.url!.includes('stream')) return void res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end(gzipSync(GEMINI_ANSWER));
      res.writeHead(200, { 'content-type': 'text/event-stream', 'content-encoding': 'gzip' });
      const gzip = createGzip();
      gzip.pipe(res);
      gzip.write(`data: ${GEMINI_ANSWER}\r\n\r\n`);
      gzip.flush(() => setTimeout(() => gzip.end(`data: ${GEMINI_ANSWER.replace('"ok"', '"again"')}\r\n\r\n`), 20));
    }));
    try {
      const ai = new GoogleGenAI({ apiKey: 'k', httpOptions: { baseUrl: server.url } });
      installTransport(ai, createNodeTransport());
      expect((await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' })).text).toBe('ok');
      expect(asked).toBe('identity');
      const texts: string[] = [];
      for await (const chunk of await ai.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'hi' })) texts.push(chunk.text ?? '');
      expect(texts).toEqual(['ok', 'again']);
    } finally {
      await server.close();
    }
  });

  it('refuses a redirect, naming where it points, as an upstream error that is not retried', async () => {
    let requests = 0;
    const server = await listen(http.createServer((req, res) => {
      requests++;
      req.resume();
      res.writeHead(308, { location: 'https://gemini-gateway.example.com/v1beta/x' }).end();
    }));
    try {
      const client = createGeminiClient({ apiKey: 'k', baseUrl: server.url, retry: { baseDelayMs: 1, maxDelayMs: 2 } });
      const error = await collect(client.call(modelRequest, { stream: false })).then(() => undefined, (caught: unknown) => caught);
      expect(error).toMatchObject({ status: 502, code: 'upstream_error' });
      expect((error as Error).message).toContain('answered 308, a redirect to https://gemini-gateway.example.com/v1beta/x: set GEMINI_BASE_URL');
      expect(requests).toBe(1);
    } finally {
      await server.close();
    }
  });

  it("carries calls to Google's own endpoint when no base URL is set (https, the key in a header)", async () => {
    const seen: Array<{ url: string; key: string | null }> = [];
    const ai = new GoogleGenAI({ apiKey: 'production-key' });
    expect(installTransport(ai, async (url, init) => {
      seen.push({ url, key: new Headers(init.headers as Headers).get('x-goog-api-key') });
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('offline test'), { code: 'ENOTFOUND' }) });
    })).toBe(true);
    await expect(ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' })).rejects.toThrow('fetch failed');
    expect(seen).toEqual([{ url: 'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent', key: 'production-key' }]);
  });

  it('says no when the SDK has no method to carry its requests', () => {
    expect(installTransport({} as GoogleGenAI, createNodeTransport())).toBe(false);
  });
});
