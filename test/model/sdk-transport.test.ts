import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { GoogleGenAI } from '@google/genai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeTransport, installTransport, type Transport } from '../../src/model/sdk-transport.ts';
import { startFakeGemini, type FakeGemini } from '../fakes/gemini-server.ts';

let fake: FakeGemini;
beforeAll(async () => { fake = await startFakeGemini({ apiKey: 'transport-key' }); });
afterAll(() => fake.close());

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

  it('sends a request again on a new connection when the server had closed the reused one, and only then', async () => {
    // Answers the first request of each connection; a second one on the same connection is cut
    // at once, as a server closing an idle keep-alive connection just as it is reused.
    let connections = 0;
    const seen = new WeakMap<object, number>();
    const server = http.createServer((req, res) => {
      const count = (seen.get(req.socket) ?? 0) + 1;
      seen.set(req.socket, count);
      if (count > 1) return void req.socket.destroy();
      req.resume();
      req.on('end', () => res.end('{"ok":true}'));
    });
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
    try {
      const node = createNodeTransport();
      for (let i = 0; i < 3; i++) expect(await (await node(url, { method: 'POST', body: '{}' })).json()).toEqual({ ok: true });
      expect(connections).toBe(3);
      // A cut on a fresh connection is the server's answer, not a stale socket: not sent again.
      const cutting = http.createServer((req) => req.socket.destroy());
      await new Promise<void>((resolve) => cutting.listen(0, '127.0.0.1', resolve));
      let cuts = 0;
      cutting.on('connection', () => cuts++);
      const cutUrl = `http://127.0.0.1:${(cutting.address() as AddressInfo).port}/x`;
      await expect(node(cutUrl, { method: 'POST', body: '{}' })).rejects.toMatchObject({ message: 'fetch failed', cause: { code: 'ECONNRESET' } });
      expect(cuts).toBe(1);
      await new Promise((resolve) => cutting.close(resolve));
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
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
