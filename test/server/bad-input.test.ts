import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { postJson, startTestServer, type TestServer } from './test-server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ bodyLimitBytes: 4096 });
});
afterAll(() => server.close());

async function expectError(response: Response, status: number, error: Record<string, unknown>): Promise<void> {
  expect(response.status).toBe(status);
  const body = (await response.json()) as { error: Record<string, unknown> };
  expect(body.error).toMatchObject(error);
  expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'param', 'type']);
}

const chatUrl = (): string => `${server.url}/v1/chat/completions`;
const user = [{ role: 'user', content: 'hi' }];

describe('bad chat requests', () => {
  it('rejects invalid JSON with the parse error', async () => {
    const response = await postJson(chatUrl(), '{"model": "helper",');
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { message: string; code: string; type: string } };
    expect(error.code).toBe('invalid_json');
    expect(error.type).toBe('invalid_request_error');
    expect(error.message).toMatch(/^request body is not valid JSON: .+/);
  });

  it('refuses a body that is not sent as application/json with 415, even when it parses', async () => {
    const response = await fetch(chatUrl(), {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: JSON.stringify({ model: 'helper', messages: user }),
    });
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ error: { type: 'invalid_request_error', code: 'unsupported_media_type', param: null } });
  });

  it.each([
    ['missing messages', { model: 'helper' }, 'messages', "Missing required parameter: 'messages'."],
    ['empty messages', { model: 'helper', messages: [] }, 'messages', 'messages must not be empty'],
    ['wrong type', { model: 'helper', messages: user, temperature: 'hot' }, 'temperature', 'temperature must be a number'],
    [
      'unknown role',
      { model: 'helper', messages: [...user, { role: 'wizard', content: 'x' }] },
      'messages[1].role',
      'messages[1].role must be one of system, developer, user, assistant, tool, function',
    ],
    ['n = 2', { model: 'helper', messages: user, n: 2 }, 'n', 'n must be 1: only one choice per request is supported'],
    [
      'an image',
      { model: 'helper', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }] }] },
      'messages[0].content[0]',
      'image input is not supported yet',
    ],
  ])('rejects %s with a 400 naming the parameter', async (_name, body, param, message) => {
    await expectError(await postJson(chatUrl(), body), 400, { type: 'invalid_request_error', param, message });
  });

  it('answers an unknown model with a 404 listing the available models', async () => {
    await expectError(await postJson(chatUrl(), { model: 'ghost', messages: user }), 404, {
      type: 'not_found_error',
      param: 'model',
      code: 'model_not_found',
      message: "The model 'ghost' does not exist. Available models: helper, writer",
    });
  });

  it('rejects a body over the limit with a 413', async () => {
    const big = { model: 'helper', messages: [{ role: 'user', content: 'x'.repeat(10_000) }] };
    await expectError(await postJson(chatUrl(), big), 413, { code: 'request_too_large' });
  });

  it('rejects a chunked body over the limit without waiting for its end', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(chatUrl(), { method: 'POST', headers: { 'Transfer-Encoding': 'chunked', 'Content-Type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on('error', reject);
      req.write('{"model":"helper","messages":[{"role":"user","content":"');
      req.write('x'.repeat(8192));
      // never ends the body: the server must answer anyway
    });
    expect(status).toBe(413);
  });

  it('never called run/ for any rejected request and still serves', async () => {
    expect(server.requests).toHaveLength(0);
    expect((await postJson(chatUrl(), { model: 'helper', messages: user })).status).toBe(200);
  });
});
