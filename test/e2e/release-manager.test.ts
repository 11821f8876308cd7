import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGoogle, type FakeGoogle } from '../fakes/google-server.ts';
import { FAKE_JIRA_API_TOKEN, FAKE_JIRA_EMAIL, startFakeJira, type FakeJira } from '../fakes/jira-server.ts';
import { fakeEnv } from '../toolkits/google-drive/fake-env.ts';
import { chat } from './chat-client.ts';
import { approve, authorizationUrl, confirmationLine } from './oauth-browser.ts';
import { startStack, type Stack } from './stack.ts';

/** The shipped release-manager agent, unmodified, against fake Google Drive, Jira and Gemini. */
describe('the shipped release-manager agent end to end', () => {
  let stack: Stack;
  let google: FakeGoogle;
  let jira: FakeJira;
  const ask = (text: string) => chat(stack.url, { user: 'rita', session: 'release-chat', text, model: 'release-manager' });

  beforeAll(async () => {
    google = await startFakeGoogle();
    jira = await startFakeJira();
    const agent = await readFile(join(import.meta.dirname, '../../agents/release-manager.yaml'), 'utf8');
    stack = await startStack({
      agents: { 'release-manager.yaml': agent },
      env: fakeEnv(google),
    });
  });
  afterAll(async () => {
    await stack.close();
    await Promise.all([google.close(), jira.close()]);
  });

  it('connects Drive (required), then Jira (optional, asked for by the question), then answers with both', async () => {
    const question = 'Is release 1.1 of ABC ready to ship?';
    const drivePrompt = await ask(question);
    const callback = await approve(authorizationUrl(drivePrompt.content));
    const page = await fetch(callback);
    expect(page.status).toBe(200);

    const jiraPrompt = await ask(confirmationLine(await page.text()));
    expect(jiraPrompt.content).toContain('Google Drive is connected');
    expect(jiraPrompt.content).toContain('my jira token is');

    stack.gemini.enqueue(
      {
        chunks: [
          { functionCall: { name: 'jira_version_issues', args: { version: '1.1', project: 'ABC' } } },
          { functionCall: { name: 'drive_search', args: { query: 'playbook' } } },
        ],
      },
      { chunks: [{ text: 'Release 1.1: NO-GO - 3 issues still open.' }] },
    );
    const answer = await ask(`my jira token is ${FAKE_JIRA_API_TOKEN} email ${FAKE_JIRA_EMAIL} url ${jira.url}`);
    expect(answer.content).toContain('Connected to Jira');
    expect(answer.content).toContain('name="jira_version_issues"');
    expect(answer.content).toContain('name="drive_search"');
    expect(answer.content).toContain('Release 1.1: NO-GO - 3 issues still open.');

    const [first, second] = stack.gemini.requests.slice(-2).map((request) => request.body);
    expect(first!.contents.at(-1)!.parts[0]!.text).toBe(question);
    const system = first!.systemInstruction!.parts.map((part) => part.text).join('\n');
    expect(system).toContain("You are the release manager's assistant for rita");
    expect(system).toContain('## Jira');
    const declared = first!.tools!.flatMap((tool) => tool.functionDeclarations ?? []).map((declaration) => declaration.name);
    expect(declared).toEqual(expect.arrayContaining(['jira_search', 'jira_count', 'drive_search', 'drive_read_file']));
    const responses = second!.contents.flatMap((content) => content.parts).filter((part) => part.functionResponse);
    expect(responses.map((part) => part.functionResponse!.name).sort()).toEqual(['drive_search', 'jira_version_issues']);
    expect(JSON.stringify(responses)).toContain('Incident Playbook');
    expect(JSON.stringify(stack.gemini.requests)).not.toContain(FAKE_JIRA_API_TOKEN);
  });
});
