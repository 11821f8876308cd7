import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './stack.ts';

/** The shipped `assistant` agent, loaded with the rest of the real agents/ folder, chatted with through the openai client. */
const shippedAgents = join(import.meta.dirname, '../../agents');

describe('the shipped assistant agent (openai client -> AgentLLM -> fake Gemini)', () => {
  let stack: Stack;

  beforeAll(async () => {
    const names = (await readdir(shippedAgents)).filter((name) => name.endsWith('.yaml'));
    const agents = Object.fromEntries(await Promise.all(names.map(async (name) => [name, await readFile(join(shippedAgents, name), 'utf8')] as const)));
    stack = await startStack({ agents });
  });
  afterAll(() => stack.close());

  it('is listed with the other shipped agents', async () => {
    const models = await stack.client.models.list();
    expect(models.data.map((model) => model.id).sort()).toEqual(['assistant', 'release-manager', 'sprint-reviewer']);
  });

  it('answers a streamed chat with its own instructions and model settings, and no tools', async () => {
    stack.gemini.enqueue({ chunks: [{ text: 'A haiku ' }, { text: 'needs five, seven, five.' }] });
    const stream = await stack.client.chat.completions.create(
      { model: 'assistant', stream: true, messages: [{ role: 'user', content: 'How many syllables has a haiku?' }] },
      { headers: { 'X-OpenWebUI-User-Id': 'ada', 'X-OpenWebUI-User-Name': 'Ada' } },
    );
    let content = '';
    for await (const chunk of stream) content += chunk.choices[0]?.delta?.content ?? '';
    expect(content).toBe('A haiku needs five, seven, five.');
    const sent = stack.gemini.requests.at(-1)!;
    expect(sent.model).toBe('gemini-2.5-flash');
    expect(sent.body.systemInstruction?.parts[0]?.text).toMatch(/^You are a helpful, precise general assistant talking with Ada\. Today is \d{4}-\d{2}-\d{2}\./);
    expect(sent.body.generationConfig?.temperature).toBe(0.7);
    expect(sent.body.tools ?? []).toEqual([]);
    expect(sent.body.contents.at(-1)).toEqual({ role: 'user', parts: [{ text: 'How many syllables has a haiku?' }] });
  });

  it('answers a non-streamed chat', async () => {
    const completion = await stack.client.chat.completions.create({ model: 'assistant', messages: [{ role: 'user', content: 'hello' }] });
    expect(completion.model).toBe('assistant');
    expect(completion.choices[0]?.message.content).toBe('echo: hello');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
  });
});
