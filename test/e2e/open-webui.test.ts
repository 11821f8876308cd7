import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentYaml, startStack, type Stack } from './stack.ts';

/** Requests shaped as Open WebUI sends them: forwarded user headers, full history, stream_options, background tasks. */
describe('Open WebUI requests', () => {
  let stack: Stack;
  const headers = {
    'content-type': 'application/json',
    'X-OpenWebUI-User-Id': 'owui-user-1',
    'X-OpenWebUI-User-Name': encodeURIComponent('Zoë Ångström'),
    'X-OpenWebUI-User-Email': 'zoe@example.com',
    'X-OpenWebUI-User-Role': 'user',
    'X-OpenWebUI-Chat-Id': 'chat-42',
  };

  beforeAll(async () => {
    stack = await startStack({ agents: { 'helper.yaml': agentYaml('helper', 'history:\n  runs: 1\n') } });
  });
  afterAll(() => stack.close());

  async function post(body: unknown): Promise<Response> {
    return fetch(`${stack.url}/v1/chat/completions`, { method: 'POST', headers, body: JSON.stringify(body) });
  }

  it('takes the user from the forwarded headers (URL-encoded non-ASCII name) and streams', async () => {
    const response = await post({ model: 'helper', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'Hi' }] });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const text = await response.text();
    expect(text.trim().endsWith('data: [DONE]')).toBe(true);
    expect(text).toContain('"usage"');
    expect(stack.gemini.requests.at(-1)!.body.systemInstruction?.parts[0]?.text).toBe('You are helper, talking to Zoë Ångström.');
  });

  it('uses a resent full conversation as given, cut to history.runs', async () => {
    const messages = [
      { role: 'system', content: 'Answer briefly.' },
      { role: 'user', content: 'one' },
      { role: 'assistant', content: 'reply one' },
      { role: 'user', content: 'two' },
      { role: 'assistant', content: 'reply two' },
      { role: 'user', content: 'three' },
    ];
    const response = await post({ model: 'helper', stream: false, messages });
    expect(response.status).toBe(200);
    const sent = stack.gemini.requests.at(-1)!.body;
    expect(sent.contents.map((content) => content.parts[0]?.text)).toEqual(['two', 'reply two', 'three']);
    expect(sent.systemInstruction?.parts.map((part) => part.text).join('\n')).toContain('Answer briefly.');
  });

  it('answers a "### Task:" title request without history or instructions, and never stores it', async () => {
    const before = stack.gemini.requests.length;
    const task = '### Task:\nGenerate a concise, 3-5 word title with an emoji summarizing the chat history.\n### Chat History:\n<chat_history>\nUSER: Hi\n</chat_history>';
    stack.gemini.enqueue({ chunks: [{ text: '{"title": "👋 Greeting"}' }] });
    const response = await post({ model: 'helper', stream: false, messages: [{ role: 'user', content: task }] });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message.content).toBe('{"title": "👋 Greeting"}');
    const sent = stack.gemini.requests[before]!.body;
    expect(sent.systemInstruction).toBeUndefined();
    expect(sent.tools).toBeUndefined();
    expect(sent.contents).toHaveLength(1);

    // A client of the same session that sends only its newest message sees the last stored chat run (history.runs: 1), not the task.
    await post({ model: 'helper', stream: false, metadata: { session_id: 'chat-42' }, messages: [{ role: 'user', content: 'again' }] });
    const history = stack.gemini.requests.at(-1)!.body.contents.map((content) => content.parts[0]?.text);
    expect(history).toEqual(['three', 'echo: three', 'again']);
  });
});
