import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeGoogle } from '../fakes/google-server.ts';
import { startFakeJira, type FakeJira } from '../fakes/jira-server.ts';
import { chat } from './chat-client.ts';
import { startDriveStack } from './drive-stack.ts';
import { approve, authorizationUrl } from './oauth-browser.ts';
import { startStack, type Stack } from './stack.ts';

/** The shipped toolkits' messages, read as a user reads them: no sentence twice, no "..", no operator settings. */
function expectReadable(text: string): void {
  expect(text).not.toMatch(/[^.]\.\.(?!\.)/);
  const sentences = text.split(/(?<=[.!?])\s+/).map((sentence) => sentence.trim().toLowerCase()).filter(Boolean);
  expect(new Set(sentences).size).toBe(sentences.length);
  expect(text).not.toMatch(/\b[A-Z]+_[A-Z_]+\b/);
}

describe('Google Drive messages', () => {
  let stack: Stack;
  let google: FakeGoogle;
  let close: () => Promise<void>;
  const ask = (user: string, text: string) => chat(stack.url, { user, session: `${user}-chat`, text, model: 'drive-bot' });

  beforeAll(async () => {
    ({ stack, google, close } = await startDriveStack());
  });
  afterAll(() => close());

  it('an unknown confirmation code: what went wrong, then once what to do', async () => {
    await ask('ann', 'find the roadmap doc');
    const reply = await ask('ann', 'Google Drive confirmation code ABCDE-23456');
    expect(reply.content).toBe(
      "I couldn't connect Google Drive: this confirmation code is unknown or has expired.\n\n" +
        'To try again, ask me for a new authorization link: each link and each confirmation code works once, for 10 minutes.',
    );
    expectReadable(reply.content);
  });

  it("another user's redirect URL: one period, no repeated advice", async () => {
    const callback = await approve(authorizationUrl((await ask('frank', 'open my drive folder')).content));
    const reply = await ask('eve', `here is my google drive link ${callback}`);
    expect(reply.content).toContain("I couldn't connect Google Drive: This authorization link belongs to another user.\n\n");
    expectReadable(reply.content);
    expect(google.requests.length).toBeGreaterThan(0);
  });

  it('the prompt reads once through', async () => {
    expectReadable((await ask('gil', 'find the roadmap doc')).content);
  });
});

describe('Jira messages', () => {
  let stack: Stack;
  let jira: FakeJira;
  const ask = (user: string, text: string) => chat(stack.url, { user, session: `${user}-chat`, text, model: 'jira-bot' });

  beforeAll(async () => {
    jira = await startFakeJira();
    const agent = 'name: jira-bot\ndescription: Jira.\ninstructions: You help with Jira.\ntoolkits:\n  required: [jira]\n';
    stack = await startStack({ agents: { 'jira-bot.yaml': agent }, env: { JIRA_ALLOWED_HOSTS: 'jira.example.com' } });
  });
  afterAll(async () => {
    await stack.close();
    await jira.close();
  });

  it('the prompt names Jira without repeating itself', async () => {
    const prompt = (await ask('ivy', 'How many bugs are open?')).content;
    expect(prompt.split('\n')[0]).toBe('ivy, to work with Jira for you I need your own token.');
    expectReadable(prompt);
  });

  it('a site the operator did not allow: no setting name for the user to set', async () => {
    const reply = await ask('ivy', 'my jira token is abcdefgh12345678abcd email ivy@example.com url https://other.example.org');
    expect(reply.content).toContain('only connects to the Jira sites its administrator allowed, and other.example.org is not one of them.');
    expectReadable(reply.content);
  });
});
