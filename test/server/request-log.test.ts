import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, startTestServer, type TestServer } from './test-server.ts';

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
      userId: 'u-9',
      sessionId: 'sess-9',
      tokens: 14,
      latencyMs: expect.any(Number),
    });
    const all = JSON.stringify(server.logLines);
    expect(all).not.toContain(KEY);
    expect(all).not.toContain('my private question');
    expect(all).not.toContain('Hello world');
  });

  it('logs rejected requests with their status', async () => {
    const response = await fetch(`${server.url}/v1/models`, { headers: { Authorization: 'Bearer nope-secret' } });
    const line = server.logLines.find((entry) => entry.requestId === response.headers.get('x-request-id'));
    expect(line).toMatchObject({ method: 'GET', path: '/v1/models', status: 401 });
    expect(JSON.stringify(server.logLines)).not.toContain('nope-secret');
  });
});
