import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { TurnEvent } from '../../src/run/turn.ts';
import { postJson, sleep, startTestServer, USAGE } from './test-server.ts';

describe('listen and close', () => {
  it('lets a running request finish, then refuses new connections', async () => {
    const server = await startTestServer();
    server.setScript(async function* (): AsyncIterable<TurnEvent> {
      await sleep(150);
      yield { type: 'text', text: 'finished' };
      yield { type: 'done', finishReason: 'stop', usage: USAGE };
    });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const running = postJson(`${server.url}/v1/chat/completions`, { model: 'helper', messages: [{ role: 'user', content: 'x' }] });
    await sleep(50);
    await server.close();
    const response = await running;
    expect(((await response.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]?.message.content).toBe('finished');
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
  });
});

/** Sends raw bytes and reads the raw answer until the server closes the connection. */
function sendRaw(url: string, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname, () => socket.write(text));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('requests the HTTP parser refuses', () => {
  it.each([
    ['headers over 16 KB', `GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431, 'request_header_too_large'],
    ['a malformed request line', 'NOT A REQUEST\r\n\r\n', 400, 'malformed_request'],
  ])('answers %s with an OpenAI error body and logs a warning', async (_name, raw, status, code) => {
    const server = await startTestServer();
    try {
      const answer = await sendRaw(server.url, raw);
      const [head = '', body = ''] = answer.split('\r\n\r\n');
      expect(head).toMatch(new RegExp(`^HTTP/1.1 ${status} `));
      expect(head.toLowerCase()).toContain('content-type: application/json');
      expect(JSON.parse(body)).toMatchObject({ error: { type: 'invalid_request_error', code, param: null, message: expect.any(String) } });
      const warning = server.logLines.find((line) => line.event === 'client_error');
      expect(warning).toMatchObject({ level: 40, status, code });
      expect(JSON.stringify(server.logLines)).not.toContain('aaaaaaaa');
      expect((await fetch(`${server.url}/health`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
