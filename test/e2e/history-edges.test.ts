import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentYaml, startStack, type Stack } from './stack.ts';

/** History assembly edge cases, as the model (the fake Gemini) receives them. */
describe('history edge cases', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({
      agents: {
        'helper.yaml': agentYaml('helper'),
        'forgetful.yaml': agentYaml('forgetful', 'history:\n  runs: 0\n'),
      },
    });
  });
  afterAll(() => stack.close());

  async function post(body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${stack.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ stream: false, ...body }),
    });
  }

  const sentContents = () => stack.gemini.requests.at(-1)!.body.contents;

  it('starts the contents with a user turn when the conversation starts with the assistant (Gemini rejects a model-first history)', async () => {
    const response = await post({
      model: 'helper',
      messages: [
        { role: 'assistant', content: 'Hi! Ask me about releases.' },
        { role: 'user', content: 'What is in 2.4?' },
      ],
    });
    expect(response.status).toBe(200);
    const contents = sentContents();
    expect(contents[0]!.role).toBe('user');
    expect(contents.map((content) => content.role)).toEqual(['user', 'model', 'user']);
    expect(JSON.stringify(contents)).toContain('Hi! Ask me about releases.');
    expect(contents.at(-1)!.parts.at(-1)!.text).toBe('What is in 2.4?');
  });

  it('keeps a system message sent in the middle out of the contents and in the system instruction', async () => {
    const response = await post({
      model: 'helper',
      messages: [
        { role: 'user', content: 'one' },
        { role: 'assistant', content: 'reply one' },
        { role: 'system', content: 'Now answer in French.' },
        { role: 'user', content: 'two' },
      ],
    });
    expect(response.status).toBe(200);
    const body = stack.gemini.requests.at(-1)!.body;
    expect(body.contents.map((content) => content.parts[0]?.text)).toEqual(['one', 'reply one', 'two']);
    expect(body.systemInstruction?.parts.map((part) => part.text).join('\n')).toContain('Now answer in French.');
  });

  it('with history.runs 0 the model sees only the newest message, stored session or resent history alike', async () => {
    const session = { 'X-OpenWebUI-User-Id': 'u0', 'X-OpenWebUI-Chat-Id': 'runs-zero' };
    await post({ model: 'forgetful', messages: [{ role: 'user', content: 'first' }] }, session);
    await post({ model: 'forgetful', messages: [{ role: 'user', content: 'second' }] }, session);
    expect(sentContents().map((content) => content.parts[0]?.text)).toEqual(['second']);
    await post(
      { model: 'forgetful', messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }, { role: 'user', content: 'c' }] },
      session,
    );
    expect(sentContents().map((content) => content.parts[0]?.text)).toEqual(['c']);
  });
});
