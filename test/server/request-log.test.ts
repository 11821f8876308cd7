import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentLLMError } from '../../src/errors.ts';
import type { TurnEvent } from '../../src/run/turn.ts';
import { postJson, sleep, startTestServer, type TestServer } from './test-server.ts';

const KEY = 'log-secret-key';
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ apiKey: KEY });
});
afterAll(() => server.close());

describe('request log', () => {
  it('writes one info line per request with agent, user, session and tokens, but no bodies or secrets', async () => {
    const response = await postJson(
      `${server.url}/v1/chat/completions`,
      { model: 'helper', messages: [{ role: 'user', content: 'my private question' }], metadata: { session_id: 'sess-9', user_id: 'u-9' } },
      { Authorization: `Bearer ${KEY}` },
    );
    expect(response.status).toBe(200);
    const requestId = response.headers.get('x-request-id');
    const lines = server.logLines.filter((line) => line.requestId === requestId);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      msg: 'request',
      method: 'POST',
      path: '/v1/chat/completions',
      status: 200,
      agent: 'helper',
      user: 'u-9',
      session: 'sess-9',
      tokens: 14,
      latencyMs: expect.any(Number),
    });
    const all = JSON.stringify(server.logLines);
    expect(all).not.toContain(KEY);
    expect(all).not.toContain('my private question');
    expect(all).not.toContain('Hello world');
  });

  it('logs session null without a session id, and the tokens counted so far when the turn fails or the client leaves', async () => {
    server.setScript(async function* (request): AsyncIterable<TurnEvent> {
      Object.assign(request.meter.usage, { promptTokens: 7, completionTokens: 2, totalTokens: 9 });
      yield { type: 'text', text: 'partial' };
      throw new AgentLLMError('the model stopped responding', { status: 502, type: 'upstream_error', code: 'upstream_error' });
    });
    const headers = { Authorization: `Bearer ${KEY}` };
    const failed = await postJson(`${server.url}/v1/chat/completions`, { model: 'helper', messages: [{ role: 'user', content: 'x' }], user: 'u-1' }, headers);
    expect(failed.status).toBe(502);
    const streamed = await postJson(`${server.url}/v1/chat/completions`, { model: 'helper', stream: true, messages: [{ role: 'user', content: 'x' }], user: 'u-1' }, headers);
    await streamed.text();
    for (const response of [failed, streamed]) {
      const line = server.logLines.find((entry) => entry.requestId === response.headers.get('x-request-id') && entry.msg === 'request');
      expect(line).toMatchObject({ agent: 'helper', user: 'u-1', session: null, tokens: 9 });
    }
  });

  it('logs user, session and tokens as null, null and 0 for a chat request rejected before its body is understood', async () => {
    const response = await postJson(`${server.url}/v1/chat/completions`, '{"model":', { Authorization: `Bearer ${KEY}` });
    expect(response.status).toBe(400);
    const line = server.logLines.find((entry) => entry.requestId === response.headers.get('x-request-id') && entry.msg === 'request');
    expect(line).toMatchObject({ status: 400, agent: null, user: null, session: null, tokens: 0 });
  });

  it('logs rejected requests with their status', async () => {
    const response = await fetch(`${server.url}/v1/models`, { headers: { Authorization: 'Bearer nope-secret' } });
    const line = server.logLines.find((entry) => entry.requestId === response.headers.get('x-request-id'));
    expect(line).toMatchObject({ method: 'GET', path: '/v1/models', status: 401 });
    expect(JSON.stringify(server.logLines)).not.toContain('nope-secret');
  });

  it('logs agent, user and session as null for a chat request refused by auth', async () => {
    const response = await postJson(`${server.url}/v1/chat/completions`, { model: 'helper', messages: [{ role: 'user', content: 'x' }] });
    expect(response.status).toBe(401);
    await sleep(20);
    const line = server.logLines.find((entry) => entry.requestId === response.headers.get('x-request-id') && entry.msg === 'request');
    expect(line).toMatchObject({ status: 401, agent: null, user: null, session: null, tokens: 0, error: 'invalid_api_key' });
  });

  it.each([false, true])('logs a failure the same way whether its stream had started or not (stream: %s)', async (stream) => {
    const headers = { Authorization: `Bearer ${KEY}` };
    const body = { model: 'helper', stream, messages: [{ role: 'user', content: 'x' }] };
    const send = async (): Promise<string> => {
      const response = await postJson(`${server.url}/v1/chat/completions`, body, headers);
      await response.text();
      await sleep(20);
      return response.headers.get('x-request-id')!;
    };
    const linesOf = (requestId: string) => server.logLines.filter((entry) => entry.requestId === requestId);
    server.setScript(async function* (): AsyncIterable<TurnEvent> {
      yield { type: 'text', text: 'partial' };
      throw new AgentLLMError('Gemini is unavailable', { status: 503, type: 'service_unavailable', code: 'upstream_unavailable' });
    });
    const upstream = linesOf(await send());
    const upstreamFailure = upstream.find((entry) => entry.msg !== 'request');
    expect(upstreamFailure).toMatchObject({ level: 40, code: 'upstream_unavailable' });
    expect(upstreamFailure).not.toHaveProperty('err');
    expect(upstream.find((entry) => entry.msg === 'request')).toMatchObject({ error: 'upstream_unavailable' });

    server.setScript(async function* (): AsyncIterable<TurnEvent> {
      yield { type: 'text', text: 'partial' };
      throw new TypeError('a bug in our code');
    });
    const internal = linesOf(await send());
    const internalFailure = internal.find((entry) => entry.msg !== 'request') as { level: number; err: { stack: string } };
    expect(internalFailure.level).toBe(50);
    expect(internalFailure.err.stack).toContain('a bug in our code');
    expect(internal.find((entry) => entry.msg === 'request')).toMatchObject({ error: 'internal_error' });
  });
});
