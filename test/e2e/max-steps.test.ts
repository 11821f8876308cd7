import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_JIRA_API_TOKEN, FAKE_JIRA_EMAIL, startFakeJira, type FakeJira } from '../fakes/jira-server.ts';
import { LAST_STEP_INSTRUCTION } from '../../src/run/tool-loop.ts';
import { lastToolResult, startStack, type Stack } from './stack.ts';

/** max_steps through HTTP: the last model call may not call tools, so the user always reads text. */
describe('max_steps through HTTP', () => {
  let stack: Stack;
  let jira: FakeJira;

  beforeAll(async () => {
    jira = await startFakeJira();
    const agent = `name: short\ndescription: Two steps.\ninstructions: You count issues.\ntoolkits:\n  required:\n    - name: jira\n      config:\n        server_url: ${jira.url}\nmax_steps: 2\n`;
    stack = await startStack({ agents: { 'short.yaml': agent }, env: { JIRA_API_TOKEN: FAKE_JIRA_API_TOKEN, JIRA_EMAIL: FAKE_JIRA_EMAIL } });
  });
  afterAll(async () => {
    await stack.close();
    await jira.close();
  });

  const ask = async (content: string) => {
    const completion = await stack.client.chat.completions.create({ model: 'short', messages: [{ role: 'user', content }] });
    return completion.choices[0]!;
  };
  const count = { functionCall: { name: 'jira_count', args: { jql: 'project = ABC' } } };

  it('turns function calling off on the last step, with an instruction, and the model answers with what it has', async () => {
    stack.gemini.enqueue({ chunks: [count] }, { chunks: [count, { text: 'ABC has 5 issues.' }] });
    const choice = await ask('How many issues in ABC?');
    expect(choice.message.content).toContain('ABC has 5 issues.');
    expect(choice.message.content?.match(/name="jira_count"/g)).toHaveLength(1);
    expect(choice.finish_reason).toBe('stop');
    const last = stack.gemini.requests.at(-1)!.body;
    expect(last.toolConfig).toEqual({ functionCallingConfig: { mode: 'NONE' } });
    expect(last.systemInstruction!.parts.map((part) => part.text).join('')).toContain(LAST_STEP_INSTRUCTION);
    // The tool result of step 1 reached the model.
    expect(JSON.stringify(last.contents)).toContain('functionResponse');
  });

  it('says it stopped when the last step still gives no text', async () => {
    stack.gemini.enqueue({ chunks: [count] }, { chunks: [count] });
    const choice = await ask('How many issues in ABC?');
    expect(choice.message.content).toContain('(stopped after 1 tool step');
    expect(choice.message.content?.match(/name="jira_count"/g)).toHaveLength(1);
  });

  it("sends a tool's error to the model wrapped once, with one full stop, and keys the chat block by the model's call id", async () => {
    stack.gemini.enqueue({ chunks: [{ functionCall: { name: 'jira_get_issue', args: { key: 'ABC-999' }, id: 'fc-42' } }] }, { chunks: [{ text: 'ABC-999 does not exist.' }] });
    const choice = await ask('What is ABC-999?');
    expect(choice.message.content).toContain('id="fc-42"');
    const result = lastToolResult(stack);
    expect(result).toMatch(/^\{"error":"Jira answered 404[^"]*[^.]\."\}$/);
  });
});

