import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_JIRA_API_TOKEN, FAKE_JIRA_EMAIL, startFakeJira, type FakeJira } from '../fakes/jira-server.ts';
import { chat } from './chat-client.ts';
import { startStack, type Stack } from './stack.ts';

/** The shipped sprint-reviewer agent, unmodified, against fake Jira and Gemini. */
describe('the shipped sprint-reviewer agent end to end', () => {
  let stack: Stack;
  let jira: FakeJira;
  const ask = (text: string) => chat(stack.url, { user: 'sue', session: 'review-chat', text, model: 'sprint-reviewer' });

  beforeAll(async () => {
    jira = await startFakeJira();
    const agent = await readFile(join(import.meta.dirname, '../../agents/sprint-reviewer.yaml'), 'utf8');
    stack = await startStack({ agents: { 'sprint-reviewer.yaml': agent } });
  });
  afterAll(async () => {
    await stack.close();
    await jira.close();
  });

  it('asks for Jira, then reviews the sprint with committed, added, completed and remaining scope and points', async () => {
    const question = 'Prepare the review of the current sprint of ABC';
    expect((await ask(question)).content).toContain('my jira token is');

    stack.gemini.enqueue(
      { chunks: [{ functionCall: { name: 'jira_sprint', args: { project: 'ABC' } } }] },
      { chunks: [{ text: 'Sprint 7: 2 of 5 issues done, 40%. 1 issue (5 points) was added after the start.' }] },
    );
    const answer = await ask(`my jira token is ${FAKE_JIRA_API_TOKEN} email ${FAKE_JIRA_EMAIL} url ${jira.url}`);
    expect(answer.content).toContain('Connected to Jira');
    expect(answer.content).toContain('name="jira_sprint"');
    expect(answer.content).toContain('Sprint 7: 2 of 5 issues done, 40%.');

    const [first, second] = stack.gemini.requests.slice(-2).map((request) => request.body);
    expect(first!.contents.at(-1)!.parts[0]!.text).toBe(question);
    const system = first!.systemInstruction!.parts.map((part) => part.text).join('\n');
    expect(system).toContain('review agile sprints in Jira');
    expect(system).toContain('## Jira');
    const result = second!.contents.flatMap((content) => content.parts).find((part) => part.functionResponse)!.functionResponse!.response;
    const sprint = (result as { result: Record<string, unknown> }).result;
    expect(sprint.committed).toEqual({ issues: 4, points: 10 });
    expect(sprint.added_after_start).toMatchObject({ issues: 1, points: 5 });
    expect(sprint.completed).toEqual({ issues: 2, points: 3 });
    expect(sprint.remaining).toEqual({ issues: 3, points: 12 });
    expect(JSON.stringify(stack.gemini.requests)).not.toContain(FAKE_JIRA_API_TOKEN);
  });

  it('runs without Google Drive when this server cannot connect it (no OAuth client), instead of blocking the turn', async () => {
    stack.gemini.enqueue({ chunks: [{ text: 'Sprint 7 summary: 2 of 5 issues done. (Google Drive is not available to write documents.)' }] });
    const answer = await ask('Summarise sprint 7 and write it as a document');
    expect(answer.content).toContain('Sprint 7 summary');
    expect(answer.content).not.toContain('cannot be connected');
    const declared = stack.gemini.requests.at(-1)!.body.tools!.flatMap((tool) => tool.functionDeclarations ?? []).map((declaration) => declaration.name);
    expect(declared).toContain('jira_sprint');
    expect(declared.some((name) => String(name).startsWith('drive_'))).toBe(false);
  });

  it('addresses a user whose name the client did not send generically, never by id', async () => {
    const completion = await stack.client.chat.completions.create({ model: 'sprint-reviewer', messages: [{ role: 'user', content: 'Review sprint 7 of ABC' }] });
    const prompt = completion.choices[0]!.message.content!;
    expect(prompt).toContain('I need your own token.');
    expect(prompt).not.toContain('anonymous');
  });
});

