import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sseContent } from './chat-client.ts';
import { agentYaml, startStack, type Stack } from './stack.ts';

/** Edges of the HTTP layer through the whole stack: real Gemini client, real store, fake Gemini. */

function post(stack: Stack, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${stack.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

const ask = (text: string, extra: Record<string, unknown> = {}) => ({ model: 'agent-a', messages: [{ role: 'user', content: text }], ...extra });

/** The user texts of the last request Gemini got, oldest first. */
function userTexts(stack: Stack): string[] {
  return stack.gemini.requests.at(-1)!.body.contents.filter((content) => content.role === 'user').map((content) => content.parts.map((part) => part.text).join(''));
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => relative(dir, join(entry.parentPath, entry.name)));
}

describe('HTTP edges through the whole stack', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ agents: { 'a.yaml': agentYaml('agent-a', 'history:\n  runs: 100\n') } });
  });
  afterAll(() => stack.close());

  it.each([false, true])('answers a 429 that outlasts every retry with 429 and Retry-After (stream: %s)', async (stream) => {
    const before = stack.gemini.requests.length;
    stack.gemini.enqueue(...[1, 2, 3].map(() => ({ status: 429, message: 'Resource has been exhausted (e.g. check quota).', retryAfterSeconds: 0.01 })));
    const response = await post(stack, ask('quota', { stream }));
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(await response.json()).toMatchObject({ error: { type: 'rate_limit_error', code: 'upstream_rate_limited' } });
    expect(stack.gemini.requests.length - before).toBe(3);
  });

  it('loses no run when 20 turns of one session run at once', async () => {
    // A client that sends only its newest message (a metadata session id): each turn adds a run.
    const headers = { 'X-OpenWebUI-User-Id': 'racer' };
    const session = { metadata: { session_id: 'race-1' } };
    const texts = Array.from({ length: 20 }, (_, i) => `parallel ${i}`);
    const responses = await Promise.all(texts.map((text) => post(stack, ask(text, session), headers)));
    expect(responses.map((response) => response.status)).toEqual(texts.map(() => 200));
    // Only the newest message, in a known session: the stored runs come before it.
    expect((await post(stack, ask('what did I say?', session), headers)).status).toBe(200);
    const seen = userTexts(stack);
    expect(seen).toHaveLength(21);
    expect([...seen.slice(0, 20)].sort()).toEqual([...texts].sort());
  });

  it.each([
    ['X-OpenWebUI-Chat-Id', '../../x'],
    ['X-OpenWebUI-Chat-Id', 'y'.repeat(4000)],
    ['X-OpenWebUI-Chat-Id', 'nul%00byte'],
    ['metadata.chat_id', '../../../../x'],
    ['metadata.chat_id', 'z'.repeat(20_000)],
    ['metadata.chat_id', 'meta\u0000nul'],
  ])('keeps a hostile chat id from %s inside the data dir, and the chat works (%#)', async (source, chatId) => {
    const byHeader = source.startsWith('X-');
    // Open WebUI (the header) sends the whole chain; a metadata client only its newest message.
    const earlier = byHeader ? [{ role: 'user', content: 'remember me' }, { role: 'assistant', content: 'echo: remember me' }] : [];
    const send = (text: string, before: unknown[] = []) =>
      post(stack, ask(text, byHeader ? { messages: [...before, { role: 'user', content: text }] } : { metadata: { chat_id: chatId } }), byHeader ? { 'X-OpenWebUI-User-Id': 'mallory', [source]: chatId } : { 'X-OpenWebUI-User-Id': 'mallory' });
    expect((await send('remember me')).status).toBe(200);
    expect((await send('who?', earlier)).status).toBe(200);
    expect(userTexts(stack)).toEqual(['remember me', 'who?']);
    expect((await readdir(stack.root)).sort()).toEqual(['agents', 'data']);
    for (const file of await listFiles(stack.dataDir)) {
      expect(file).toMatch(/^(secret\.key|sessions\/[0-9a-f]{2}\/[0-9a-f]+\/[0-9a-f]{2}\/[0-9a-f]+\.json)$/);
    }
  });

  it.each([
    ['raw UTF-8 bytes', Buffer.from('José Müller', 'utf8').toString('latin1'), 'José Müller'],
    ['latin1 bytes', 'Zoë', 'Zoë'],
    ['URL-encoded UTF-8', encodeURIComponent('Łukasz 李'), 'Łukasz 李'],
  ])('reads a user name header sent as %s', async (_how, header, name) => {
    expect((await post(stack, ask('hi'), { 'X-OpenWebUI-User-Name': header })).status).toBe(200);
    expect(stack.gemini.requests.at(-1)!.body.systemInstruction?.parts[0]?.text).toBe(`You are agent-a, talking to ${name}.`);
  });

  it.each([
    [{ chat_id: 42 }, 'metadata.chat_id'],
    [{ user_id: { id: 'u' } }, 'metadata.user_id'],
    [{ tag: null }, 'metadata.tag'],
  ])('rejects metadata %j with a 400 naming the field, as OpenAI does', async (metadata, param) => {
    const before = stack.gemini.requests.length;
    const response = await post(stack, ask('hi', { metadata }));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { type: 'invalid_request_error', param, message: `${param} must be a string` } });
    expect(stack.gemini.requests.length).toBe(before);
  });
});

describe('streams while Gemini is silent (heartbeat 100 ms)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ agents: { 'a.yaml': agentYaml('agent-a') }, heartbeatMs: 100 });
  });
  afterAll(() => stack.close());

  it('sends keepalive comments until the first chunk, then the answer', async () => {
    stack.gemini.enqueue({ chunks: [{ text: 'after ' }, { text: 'silence' }], firstDelayMs: 450 });
    const response = await post(stack, ask('wait', { stream: true }));
    expect(response.status).toBe(200);
    const raw = await response.text();
    const beforeFirstData = raw.slice(0, raw.indexOf('data: '));
    expect(beforeFirstData.match(/^: keepalive$/gm)?.length ?? 0).toBeGreaterThanOrEqual(2);
    expect(sseContent(raw)).toBe('after silence');
    expect(raw.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('sends a 429 that outlasts every retry as an error event once keepalives opened the stream', async () => {
    stack.gemini.enqueue(...[1, 2, 3].map(() => ({ status: 429, retryAfterSeconds: 0.3 })));
    const response = await post(stack, ask('quota', { stream: true }));
    expect(response.status).toBe(200);
    const raw = await response.text();
    expect(raw).toMatch(/^: keepalive$/m);
    const events = raw.split('\n').filter((line) => line.startsWith('data: ')).map((line) => line.slice(6));
    expect(events.at(-1)).not.toBe('[DONE]');
    expect(JSON.parse(events.at(-1)!)).toMatchObject({ error: { type: 'rate_limit_error', code: 'upstream_rate_limited' } });
  });
});
