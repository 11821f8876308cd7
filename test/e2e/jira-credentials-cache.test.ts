import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeJira, type FakeJira } from '../fakes/jira-server.ts';
import { chat } from './chat-client.ts';
import { startStack, type Stack } from './stack.ts';

const token = (name: string) => `ATATT3xFfGF0${name}${'0123456789abcdef'.repeat(3)}=A1B2C3D4`;
const OPERATOR = { email: 'ops@example.com', apiToken: token('Operator') };
const ADA = { email: 'ada@example.com', apiToken: token('AdaFirst') };
const ADA_NEW = { email: 'ada@example.com', apiToken: token('AdaSecond') };
const BOB = { email: 'bob@example.com', apiToken: token('Bob') };
const basic = (account: { email: string; apiToken: string }) => `Basic ${Buffer.from(`${account.email}:${account.apiToken}`).toString('base64')}`;
const user = (displayName: string, emailAddress: string) => ({ accountId: `acc-${displayName}`, displayName, emailAddress });

/** Whose credential reaches Jira: the operator's, each user's own, the newest, never a revoked one; the cached agents follow. */
describe('Jira credentials and the agent cache through HTTP', () => {
  let stack: Stack;
  let jira: FakeJira;
  const agent = (url: string) => `name: jira-bot\ndescription: Jira.\ninstructions: You help with Jira.\ntoolkits:\n  required:\n    - name: jira\n      config:\n        server_url: ${url}\n`;
  const notes = 'name: notes\ndescription: Notes.\ninstructions: You take notes.\ntoolkits:\n  optional: [google-drive]\n';

  beforeAll(async () => {
    jira = await startFakeJira({
      email: OPERATOR.email,
      apiToken: OPERATOR.apiToken,
      user: user('Olive Operator', OPERATOR.email),
      accounts: [{ ...ADA, user: user('Ada Lovelace', ADA.email) }, { ...ADA_NEW, user: user('Ada Lovelace', ADA.email) }, { ...BOB, user: user('Bob Builder', BOB.email) }],
    });
    stack = await startStack({ agents: { 'jira-bot.yaml': agent(jira.url), 'notes.yaml': notes }, env: { JIRA_API_TOKEN: OPERATOR.apiToken, JIRA_EMAIL: OPERATOR.email } });
  });
  afterAll(async () => {
    await stack.close();
    await jira.close();
  });

  const ask = (name: string, text: string) => chat(stack.url, { user: name, session: `${name}-chat`, text, model: 'jira-bot' });

  /** One turn in which the model counts issues; returns the Authorization headers Jira saw during it. */
  async function countAs(name: string): Promise<string[]> {
    stack.gemini.enqueue({ chunks: [{ functionCall: { name: 'jira_count', args: { jql: 'project = ABC' } } }] }, { chunks: [{ text: 'Counted.' }] });
    const before = jira.requests.length;
    expect((await ask(name, 'How many issues in ABC?')).content).toContain('Counted.');
    return [...new Set(jira.requests.slice(before).map((request) => request.authorization ?? ''))];
  }

  it("uses the operator's env credential for a user without one, and says it cannot be removed from the chat", async () => {
    expect(await countAs('zed')).toEqual([basic(OPERATOR)]);
    const reply = await ask('zed', 'forget my jira token');
    expect(reply.content).toContain('cannot be removed from the chat');
    expect(reply.content).not.toContain('removed your Jira token');
    expect(await countAs('zed')).toEqual([basic(OPERATOR)]);
  });

  it('gives two configured users each their own credential at Jira', async () => {
    expect((await ask('ada', `my jira token is ${ADA.apiToken} email ${ADA.email}`)).content).toContain('Connected to Jira as Ada Lovelace');
    expect((await ask('bob', `my jira token is ${BOB.apiToken} email ${BOB.email}`)).content).toContain('Connected to Jira as Bob Builder');
    expect(await countAs('ada')).toEqual([basic(ADA)]);
    expect(await countAs('bob')).toEqual([basic(BOB)]);
    expect(await countAs('ada')).toEqual([basic(ADA)]);
  });

  it('rebuilds the cached agent when the user pastes a new token', async () => {
    expect((await ask('ada', `my jira token is ${ADA_NEW.apiToken} email ${ADA_NEW.email}`)).content).toContain('Connected to Jira');
    expect(await countAs('ada')).toEqual([basic(ADA_NEW)]);
  });

  it("drops the cached agent on revoke: Jira then sees the operator's credential, not the user's", async () => {
    expect((await ask('ada', 'please forget my jira token')).content).toContain('removed your Jira token');
    expect(await countAs('ada')).toEqual([basic(OPERATOR)]);
    expect(await countAs('bob')).toEqual([basic(BOB)]);
  });

  it('runs an agent without an optional toolkit the message does not ask for', async () => {
    const before = stack.gemini.requests.length;
    const reply = await chat(stack.url, { user: 'zed', session: 'zed-notes', text: 'Write a haiku about Mondays', model: 'notes' });
    expect(reply.status).toBe(200);
    expect(reply.content).toContain('echo: Write a haiku about Mondays');
    expect(stack.gemini.requests.length).toBe(before + 1);
    expect(stack.gemini.requests.at(-1)!.body.tools ?? []).toEqual([]);
  });
});
