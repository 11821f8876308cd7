import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeGoogle } from '../fakes/google-server.ts';
import { FAKE_JIRA_API_TOKEN, FAKE_JIRA_EMAIL, startFakeJira, type FakeJira } from '../fakes/jira-server.ts';
import { chat } from './chat-client.ts';
import { startDriveStack } from './drive-stack.ts';
import { approve, authorizationUrl, confirmationLine } from './oauth-browser.ts';
import { lastToolResult, startStack, type Stack } from './stack.ts';

const searchCall = { chunks: [{ functionCall: { name: 'drive_search', args: { query: 'playbook' } } }] };

describe('a Drive refresh token revoked at Google: the credential is dropped and the user asked again', () => {
  let stack: Stack;
  let google: FakeGoogle;
  let close: () => Promise<void>;
  const ask = (text: string) => chat(stack.url, { user: 'olga', session: 'olga-chat', text, model: 'drive-bot' });

  beforeAll(async () => {
    ({ stack, google, close } = await startDriveStack());
  });
  afterAll(() => close());

  it('tells the model the user must reconnect, and the next turn prompts with a new consent link', async () => {
    const page = await fetch(await approve(authorizationUrl((await ask('Find the playbook')).content)));
    expect((await ask(confirmationLine(await page.text()))).content).toContain('Google Drive is connected');

    // An expired access token makes the plugin refresh: the fake then records the user's refresh token.
    google.expireAccessTokens();
    stack.gemini.enqueue(searchCall, { chunks: [{ text: 'Found it.' }] });
    expect((await ask('Find the playbook again')).content).toContain('Found it.');
    const refreshToken = google.requests.find((request) => request.form?.grant_type === 'refresh_token')!.form!.refresh_token!;

    google.revokeRefreshToken(refreshToken);
    google.expireAccessTokens();
    stack.gemini.enqueue(searchCall, { chunks: [{ text: 'You need to reconnect Google Drive.' }] });
    const failed = await ask('And once more?');
    expect(failed.status).toBe(200);
    expect(failed.content).toContain('You need to reconnect Google Drive.');
    expect(lastToolResult(stack)).toContain('must connect Google Drive again');
    expect(lastToolResult(stack)).toContain('was removed');

    const before = stack.gemini.requests.length;
    const next = await ask('Find the playbook');
    expect(next.content).toContain('/o/oauth2/v2/auth');
    expect(stack.gemini.requests.length).toBe(before);
  });
});

describe('an operator Jira token that Jira rejects (401) is never deleted', () => {
  let stack: Stack;
  let jira: FakeJira;

  beforeAll(async () => {
    jira = await startFakeJira();
    const agent = `name: jira-bot\ndescription: Jira.\ninstructions: You help with Jira.\ntoolkits:\n  required:\n    - name: jira\n      config:\n        server_url: ${jira.url}\n`;
    stack = await startStack({ agents: { 'jira-bot.yaml': agent }, env: { JIRA_API_TOKEN: `${FAKE_JIRA_API_TOKEN}-revoked`, JIRA_EMAIL: FAKE_JIRA_EMAIL } });
  });
  afterAll(async () => {
    await stack.close();
    await jira.close();
  });

  it("tells the model the server's credential was rejected, and keeps using it", async () => {
    const countCall = { chunks: [{ functionCall: { name: 'jira_count', args: { jql: 'project = ABC' } } }] };
    stack.gemini.enqueue(countCall, { chunks: [{ text: 'Jira refused.' }] });
    const reply = await chat(stack.url, { user: 'pat', session: 'p', model: 'jira-bot', text: 'How many issues in ABC?' });
    expect(reply.content).toContain('Jira refused.');
    expect(lastToolResult(stack)).toContain('401');
    expect(lastToolResult(stack)).toContain("server's own Jira credential");

    const next = await chat(stack.url, { user: 'pat', session: 'p', model: 'jira-bot', text: 'How many issues in ABC?' });
    expect(next.content).not.toContain('my jira token is');
  });
});
