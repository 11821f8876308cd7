import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentYaml, startStack, type Stack } from './stack.ts';

interface RawResponse {
  status: number;
  body: { error?: { code: string | null; type: string; message: string }; choices?: unknown[] };
}

/** A request with the exact headers a browser (or a DNS-rebinding page) would send. */
function send(url: string, headers: Record<string, string>, body?: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const target = new URL('/v1/chat/completions', url);
    const req = request(target, { method: body === undefined ? 'GET' : 'POST', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const BODY = JSON.stringify({ model: 'agent-a', messages: [{ role: 'user', content: 'hi' }] });

/** Without AGENTLLM_API_KEY, a web page of another site cannot drive the server. */
describe('an open server and web pages of other sites', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ agents: { 'a.yaml': agentYaml('agent-a') } });
  });
  afterAll(() => stack.close());

  it('refuses a text/plain body (what a page sends without a CORS preflight) with 415, before calling Gemini', async () => {
    const before = stack.gemini.requests.length;
    for (const contentType of ['text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', undefined]) {
      const response = await send(stack.url, contentType ? { 'Content-Type': contentType } : {}, BODY);
      expect(response.status).toBe(415);
      expect(response.body.error).toMatchObject({ type: 'invalid_request_error', code: 'unsupported_media_type' });
    }
    expect(stack.gemini.requests.length).toBe(before);
  });

  it('accepts application/json with a charset and application/*+json', async () => {
    for (const contentType of ['application/json; charset=utf-8', 'application/vnd.api+json']) {
      const response = await send(stack.url, { 'Content-Type': contentType }, BODY);
      expect(response.status).toBe(200);
    }
  });

  it('refuses with 403 a foreign Origin, and a foreign Host (DNS rebinding), before calling Gemini', async () => {
    const before = stack.gemini.requests.length;
    const port = new URL(stack.url).port;
    const hostile: Array<Record<string, string>> = [
      { 'Content-Type': 'application/json', Origin: 'http://attacker.example' },
      { 'Content-Type': 'application/json', Origin: 'null' },
      { 'Content-Type': 'application/json', Host: `attacker.example:${port}` },
      { 'Content-Type': 'application/json', Host: 'attacker.example', Origin: 'http://attacker.example' },
      { 'Content-Type': 'application/json', Host: `127.999.0.1:${port}` },
      { 'Content-Type': 'application/json', Host: `[::ffff:127.0.0.1]:${port}` },
    ];
    for (const headers of hostile) {
      const response = await send(stack.url, headers, BODY);
      expect(response.status).toBe(403);
      expect(response.body.error).toMatchObject({ type: 'permission_error', code: 'forbidden_origin' });
    }
    const models = await send(stack.url, { Host: 'attacker.example' });
    expect(models.status).toBe(403);
    expect(stack.gemini.requests.length).toBe(before);
  });

  it('answers loopback hosts and origins', async () => {
    const port = new URL(stack.url).port;
    const loopback: Array<Record<string, string>> = [
      { Host: `localhost:${port}` },
      { Host: `127.0.0.1:${port}`, Origin: `http://localhost:3000` },
      { Host: `[::1]:${port}` },
      { Host: `[0:0:0:0:0:0:0:1]:${port}` },
      { Host: `app.localhost:${port}`, Origin: `http://app.localhost:${port}` },
    ];
    for (const headers of loopback) {
      const response = await send(stack.url, { 'Content-Type': 'application/json', ...headers }, BODY);
      expect(response.status).toBe(200);
      expect(response.body.choices).toHaveLength(1);
    }
  });
});

describe('a server with an API key', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ agents: { 'a.yaml': agentYaml('agent-a') }, apiKey: 'origin-test-key' });
  });
  afterAll(() => stack.close());

  it('answers any Host and Origin that bring the key', async () => {
    const response = await send(
      stack.url,
      { 'Content-Type': 'application/json', Host: 'agentllm.example', Origin: 'https://chat.example', Authorization: 'Bearer origin-test-key' },
      BODY,
    );
    expect(response.status).toBe(200);
  });
});
