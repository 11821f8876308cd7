import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionFile } from '../../src/store/shard-path.ts';
import { agentYaml, startStack, type Stack } from './stack.ts';

/** A session file broken on disk: the request fails before any model call, everything else keeps working. */
describe('a corrupt session file over HTTP', () => {
  let stack: Stack;
  const broken = { userId: 'ada', sessionId: 'broken-chat' };
  const CORRUPT = '{"version":1,"runs":[{"at":"trunc';

  beforeAll(async () => {
    stack = await startStack({ agents: { 'a.yaml': agentYaml('agent-a') } });
    const file = join(stack.dataDir, sessionFile(broken));
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, CORRUPT);
  });
  afterAll(() => stack.close());

  const fullConversation = [
    { role: 'user' as const, content: 'first' },
    { role: 'assistant' as const, content: 'echo: first' },
    { role: 'user' as const, content: 'second' },
  ];

  it.each([
    ['the whole conversation, streaming', fullConversation, true],
    ['the whole conversation, not streaming', fullConversation, false],
    ['only the newest message', [{ role: 'user' as const, content: 'hi' }], false],
  ])('answers session_unreadable for %s without calling Gemini', async (_name, messages, stream) => {
    const before = stack.gemini.requests.length;
    const caught = await (async () => {
      const result = await stack.client.chat.completions.create({ model: 'agent-a', messages, stream, metadata: { user_id: broken.userId, session_id: broken.sessionId } });
      if (stream) for await (const _chunk of result as AsyncIterable<unknown>) { /* drain */ }
    })().then(() => undefined, (error: unknown) => error);
    expect(caught).toBeInstanceOf(OpenAI.APIError);
    const error = caught as InstanceType<typeof OpenAI.APIError>;
    // A plain error response with its status: the stream never started.
    expect(error.status).toBe(500);
    expect(error.error).toMatchObject({ code: 'session_unreadable' });
    expect(error.message).toMatch(/Session history file .* is unreadable/);
    expect(stack.gemini.requests.length).toBe(before);
  });

  it('leaves the file untouched, and other sessions of the same user still work', async () => {
    expect(await readFile(join(stack.dataDir, sessionFile(broken)), 'utf8')).toBe(CORRUPT);
    const completion = await stack.client.chat.completions.create({
      model: 'agent-a',
      messages: [{ role: 'user', content: 'fine here' }],
      metadata: { user_id: broken.userId, session_id: 'healthy-chat' },
    });
    expect(completion.choices[0]?.message.content).toBe('echo: fine here');
  });
});
