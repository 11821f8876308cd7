import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredRun } from '../../src/conversation.ts';
import { sessionFile } from '../../src/store/shard-path.ts';
import { agentYaml, startStack, type Stack } from './stack.ts';

type Message = { role: 'user' | 'assistant' | 'system'; content: string };

/**
 * Open WebUI sends the whole chain from the first message to the one answered, with its chat-id
 * header, for every shape: a first message, a regenerated answer, an edited question, "continue".
 * The request is the conversation; the stored copy follows it instead of growing with each resend.
 */
describe('Open WebUI regenerate, edit and continue', () => {
  let stack: Stack;
  const user = 'owui-ana';

  beforeAll(async () => {
    stack = await startStack({ agents: { 'helper.yaml': agentYaml('helper') } });
  });
  afterAll(() => stack.close());

  async function post(chat: string, messages: Message[], extra: { headers?: Record<string, string>; body?: Record<string, unknown> } = {}): Promise<string> {
    const response = await fetch(`${stack.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-OpenWebUI-User-Id': user, 'X-OpenWebUI-Chat-Id': chat, ...extra.headers },
      body: JSON.stringify({ model: 'helper', stream: false, messages, ...extra.body }),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message.content;
  }

  /** What Gemini was sent last: each content's text. */
  const sentToModel = () => stack.gemini.requests.at(-1)!.body.contents.map((content) => content.parts.map((part) => part.text).join(''));

  async function storedRuns(chat: string): Promise<Array<Pick<StoredRun, 'user' | 'answer'>>> {
    const text = await readFile(join(stack.dataDir, sessionFile({ userId: user, sessionId: chat })), 'utf8').catch(() => '{"runs":[]}');
    return (JSON.parse(text) as { runs: StoredRun[] }).runs.map((run) => ({ user: run.user, answer: run.answer }));
  }

  it('a first message, regenerated three times, reaches the model alone and is stored once', async () => {
    for (let i = 0; i < 4; i++) {
      expect(await post('c-regen', [{ role: 'user', content: 'Name a colour' }])).toBe('echo: Name a colour');
      expect(sentToModel()).toEqual(['Name a colour']);
    }
    expect(await storedRuns('c-regen')).toEqual([{ user: 'Name a colour', answer: 'echo: Name a colour' }]);
  });

  it('a regenerated later answer replaces its own run only', async () => {
    const chain: Message[] = [{ role: 'user', content: 'one' }];
    await post('c-later', chain);
    chain.push({ role: 'assistant', content: 'echo: one' }, { role: 'user', content: 'two' });
    await post('c-later', chain);
    stack.gemini.enqueue({ chunks: [{ text: 'another two' }] });
    await post('c-later', chain);
    expect(sentToModel()).toEqual(['one', 'echo: one', 'two']);
    expect(await storedRuns('c-later')).toEqual([{ user: 'one', answer: 'echo: one' }, { user: 'two', answer: 'another two' }]);
  });

  it('an edited first question drops the runs after it', async () => {
    await post('c-edit', [{ role: 'user', content: 'first' }]);
    await post('c-edit', [{ role: 'user', content: 'first' }, { role: 'assistant', content: 'echo: first' }, { role: 'user', content: 'second' }]);
    expect(await post('c-edit', [{ role: 'user', content: 'first, edited' }])).toBe('echo: first, edited');
    expect(sentToModel()).toEqual(['first, edited']);
    expect(await storedRuns('c-edit')).toEqual([{ user: 'first, edited', answer: 'echo: first, edited' }]);
  });

  it('"Continue response" continues the partial answer, stored whole in its run', async () => {
    await post('c-cont', [{ role: 'user', content: 'Tell a story' }]);
    stack.gemini.enqueue({ chunks: [{ text: ' there was a dragon.' }] });
    const partial = 'Once upon a time';
    expect(await post('c-cont', [{ role: 'user', content: 'Tell a story' }, { role: 'assistant', content: partial }])).toBe(' there was a dragon.');
    const sent = sentToModel();
    expect(sent.slice(0, 2)).toEqual(['Tell a story', partial]);
    expect(sent[2]).toMatch(/^Continue your previous answer exactly where it stopped/);
    expect(stack.gemini.requests.at(-1)!.body.contents.map((content) => content.role)).toEqual(['user', 'model', 'user']);
    expect(await storedRuns('c-cont')).toEqual([{ user: 'Tell a story', answer: 'Once upon a time there was a dragon.' }]);
  });

  it('a client that sends only its newest message (metadata session) gets the stored runs before it', async () => {
    const newestOnly = { body: { metadata: { session_id: 'c-newest' } } };
    await post('ignored', [{ role: 'user', content: 'x' }], newestOnly);
    await post('ignored', [{ role: 'user', content: 'y' }], newestOnly);
    expect(sentToModel()).toEqual(['x', 'echo: x', 'y']);
    expect(await storedRuns('c-newest')).toEqual([{ user: 'x', answer: 'echo: x' }, { user: 'y', answer: 'echo: y' }]);
  });

  it('X-OpenWebUI-Task marks a background task whatever its prompt: no instructions, nothing stored', async () => {
    await post('c-task', [{ role: 'user', content: 'Suggest 3 follow-up questions about colours' }], { headers: { 'X-OpenWebUI-Task': 'follow_up_generation' } });
    expect(stack.gemini.requests.at(-1)!.body.systemInstruction).toBeUndefined();
    expect(await storedRuns('c-task')).toEqual([]);
    await post('c-task', [{ role: 'user', content: 'Hi' }], { headers: { 'X-OpenWebUI-Task': '' } });
    expect(stack.gemini.requests.at(-1)!.body.systemInstruction).toBeDefined();
    expect(await storedRuns('c-task')).toHaveLength(1);
  });
});
