import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { decodeHeaderValue, resolveIdentity } from '../../src/server/identity.ts';
import { postJson, startTestServer, type TestServer } from './test-server.ts';

const webui = {
  'x-openwebui-chat-id': 'chat-from-header',
  'x-openwebui-user-id': 'user-from-header',
  'x-openwebui-user-name': 'Ada',
  'x-openwebui-user-email': 'ada@example.com',
  'x-openwebui-user-role': 'admin',
};

describe('resolveIdentity', () => {
  it('prefers body metadata over headers over body user', () => {
    expect(
      resolveIdentity({ metadata: { session_id: 's-meta', user_id: 'u-meta' }, bodyUser: 'u-body', headers: webui }),
    ).toEqual({
      user: { id: 'u-meta', name: 'Ada', email: 'ada@example.com', role: 'admin' },
      sessionId: 's-meta',
    });
    expect(resolveIdentity({ metadata: { chat_id: 'c-meta' }, bodyUser: 'u-body', headers: webui })).toEqual({
      user: { id: 'user-from-header', name: 'Ada', email: 'ada@example.com', role: 'admin' },
      sessionId: 'c-meta',
    });
    expect(resolveIdentity({ bodyUser: 'u-body', headers: {} })).toEqual({ user: { id: 'u-body' } });
  });

  it('uses session_id before chat_id and defaults to the anonymous user without a session', () => {
    expect(resolveIdentity({ metadata: { chat_id: 'c', session_id: 's' }, headers: {} }).sessionId).toBe('s');
    expect(resolveIdentity({ headers: {} })).toEqual({ user: { id: 'anonymous' } });
    expect(resolveIdentity({ metadata: { user_id: '  ' }, bodyUser: '', headers: {} })).toEqual({ user: { id: 'anonymous' } });
  });

  it('decodes URL-encoded and raw UTF-8 header values, keeping bad encodings as they are', () => {
    expect(decodeHeaderValue('Zo%C3%AB%20M%C3%BCller')).toBe('Zoë Müller');
    expect(decodeHeaderValue(Buffer.from('Zoë Müller 日本', 'utf8').toString('latin1'))).toBe('Zoë Müller 日本');
    expect(decodeHeaderValue('100%')).toBe('100%');
    expect(decodeHeaderValue('%E0%A4%A')).toBe('%E0%A4%A');
    expect(decodeHeaderValue('caf\u00e9')).toBe('caf\u00e9'); // latin1 that is not UTF-8 stays
    expect(decodeHeaderValue('plain')).toBe('plain');
  });
});

describe('identity over HTTP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  const body = { model: 'helper', messages: [{ role: 'user', content: 'hi' }] };

  it('takes metadata over Open WebUI headers over user', async () => {
    await postJson(`${server.url}/v1/chat/completions`, { ...body, user: 'u-body', metadata: { session_id: 's1', user_id: 'u1' } }, webui);
    expect(server.requests.at(-1)).toMatchObject({ user: { id: 'u1', name: 'Ada' }, sessionId: 's1' });
    await postJson(`${server.url}/v1/chat/completions`, { ...body, user: 'u-body' }, webui);
    expect(server.requests.at(-1)).toMatchObject({ user: { id: 'user-from-header', role: 'admin' }, sessionId: 'chat-from-header' });
    await postJson(`${server.url}/v1/chat/completions`, { ...body, user: 'u-body' });
    expect(server.requests.at(-1)?.user).toEqual({ id: 'u-body' });
    expect(server.requests.at(-1)?.sessionId).toBeUndefined();
  });

  it('reads URL-encoded and raw UTF-8 non-ASCII user names', async () => {
    await postJson(`${server.url}/v1/chat/completions`, body, { 'X-OpenWebUI-User-Name': encodeURIComponent('Zoë Müller') });
    expect(server.requests.at(-1)?.user.name).toBe('Zoë Müller');

    const status = await sendRawUtf8Header(server.url, 'X-OpenWebUI-User-Name', 'Zoë 日本', JSON.stringify(body));
    expect(status).toBe(200);
    expect(server.requests.at(-1)?.user.name).toBe('Zoë 日本');
  });
});

/** Writes one HTTP request byte by byte, with a header value as raw UTF-8; resolves the status code. */
function sendRawUtf8Header(url: string, name: string, value: string, body: string): Promise<number> {
  const { hostname, port } = new URL(url);
  const head = [
    'POST /v1/chat/completions HTTP/1.1',
    `Host: ${hostname}:${port}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    `${name}: ${value}`,
    'Connection: close',
    '',
    '',
  ].join('\r\n');
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(Buffer.concat([Buffer.from(head, 'utf8'), Buffer.from(body, 'utf8')])));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(Buffer.concat(chunks).toString('latin1'))?.[1] ?? 0)));
  });
}
