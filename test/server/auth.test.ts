import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI, { AuthenticationError } from 'openai';
import { startTestServer, type TestServer } from './test-server.ts';

const KEY = 'test-key-123';
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ apiKey: KEY });
});
afterAll(() => server.close());

const invalidKey = (message: string): unknown => ({
  error: { message, type: 'authentication_error', param: null, code: 'invalid_api_key' },
});

describe('API key', () => {
  it('rejects a request without a key', async () => {
    const response = await fetch(`${server.url}/v1/models`);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual(invalidKey('Missing API key: send "Authorization: Bearer <key>".'));
  });

  it('rejects a wrong key, also one of another length, on every protected route', async () => {
    for (const key of ['test-key-124', 'x', `${KEY}${KEY}`]) {
      const models = await fetch(`${server.url}/models`, { headers: { Authorization: `Bearer ${key}` } });
      expect(models.status).toBe(401);
      expect(await models.json()).toEqual(invalidKey('Incorrect API key provided.'));
    }
    const chat = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { Authorization: 'Bearer wrong' },
      body: JSON.stringify({ model: 'helper', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(chat.status).toBe(401);
    expect(server.requests).toHaveLength(0);
  });

  it('surfaces as AuthenticationError in the openai client', async () => {
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'wrong', maxRetries: 0 });
    await expect(client.models.list()).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('accepts the right key', async () => {
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: KEY });
    const completion = await client.chat.completions.create({ model: 'helper', messages: [{ role: 'user', content: 'hi' }] });
    expect(completion.choices[0]?.message.content).toBe('Hello world');
    expect((await client.models.list()).data.map((model) => model.id)).toEqual(['helper', 'writer']);
  });

  it('leaves health endpoints open', async () => {
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    expect((await fetch(`${server.url}/health/ready`)).status).toBe(200);
  });
});
