import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentYaml, startStack, type Stack } from './stack.ts';

/** A hostile network: a body that never ends after its 413, and a flood of connections. */
let stack: Stack;
const MAX_CONNECTIONS = 4;

beforeAll(async () => {
  stack = await startStack({ agents: { 'a.yaml': agentYaml('a') }, env: { AGENTLLM_MAX_CONNECTIONS: String(MAX_CONNECTIONS), AGENTLLM_BODY_LIMIT: '65536' } });
});
afterAll(() => stack.close());

function open(): Promise<Socket> {
  const { hostname, port } = new URL(stack.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** What the server sends on `socket` until it closes it (or `ms` pass). */
function readUntilClosed(socket: Socket, ms: number): Promise<{ text: string; closed: boolean }> {
  let text = '';
  socket.on('data', (data: Buffer) => { text += data.toString('latin1'); });
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ text, closed: false }), ms);
    socket.once('close', () => { clearTimeout(timer); resolve({ text, closed: true }); });
    socket.on('error', () => undefined);
  });
}

describe('a request body over the limit', () => {
  it('a chunked body that never ends gets its 413 and the connection is closed, after little more than the limit', async () => {
    const socket = await open();
    const answer = readUntilClosed(socket, 10_000);
    socket.write('POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n');
    const chunk = `10000\r\n${'x'.repeat(0x10000)}\r\n`;
    let sent = 0;
    let closed = false;
    void answer.then(() => { closed = true; });
    // Up to 64 MB, as fast as the server takes it: it should have hung up long before.
    while (!closed && !socket.destroyed && sent < 64 * 1024 * 1024) {
      if (!socket.write(chunk)) await new Promise((resolve) => { socket.once('drain', resolve); socket.once('close', resolve); setTimeout(resolve, 200); });
      sent += 0x10000;
    }
    const { text, closed: hungUp } = await answer;
    expect(text).toMatch(/^HTTP\/1\.1 413 /);
    expect(text.toLowerCase()).toContain('connection: close');
    expect(text).toContain('"code":"request_too_large"');
    expect(hungUp).toBe(true);
    expect(sent).toBeLessThan(16 * 1024 * 1024);
    socket.destroy();
  });
});

describe(`AGENTLLM_MAX_CONNECTIONS=${MAX_CONNECTIONS}`, () => {
  it('closes connections beyond the cap at once, and takes new ones when some are gone', async () => {
    const held = await Promise.all(Array.from({ length: MAX_CONNECTIONS }, () => open()));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const extra = await open();
    const refused = readUntilClosed(extra, 3000);
    extra.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    expect(await refused).toEqual({ text: '', closed: true });
    for (const socket of held) socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await fetch(`${stack.url}/health`)).status).toBe(200);
  });
});
