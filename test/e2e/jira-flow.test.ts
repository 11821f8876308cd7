import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeJira, type FakeJira } from '../fakes/jira-server.ts';
import { chat } from './chat-client.ts';
import { readDataFiles, startStack, type Stack } from './stack.ts';

const TOKEN = 'ATATT3xFfGF0T9k2Lm8Qw4Zr7Yp1Xv6Bn3Hc5Jd0Ks8Ge2Wt4Ua7Ri9Oe1=A1B2C3D4';
const EMAIL = 'ada@example.com';

describe('Jira toolkit through HTTP: prompt, paste, remembered question, tools, isolation, revoke', () => {
  let stack: Stack;
  let jira: FakeJira;
  const model = 'jira-bot';
  const ask = (user: string, text: string, stream = false) => chat(stack.url, { user, session: `${user}-chat`, text, model, stream });

  beforeAll(async () => {
    jira = await startFakeJira({ apiToken: TOKEN });
    const agent = `name: jira-bot
description: Answers questions about Jira.
instructions: You help {{user.name}} with Jira.
toolkits:
  required:
    - name: jira
      config:
        server_url: ${jira.url}
`;
    stack = await startStack({ agents: { 'jira-bot.yaml': agent }, captureLogs: true });
  });
  afterAll(async () => {
    await stack.close();
    await jira.close();
  });

  it('asks for the token on first use instead of calling the model', async () => {
    const before = stack.gemini.requests.length;
    const reply = await ask('ada', 'How many bugs are open in ABC?');
    expect(reply.status).toBe(200);
    expect(reply.content).toContain('id.atlassian.com');
    expect(reply.content).toContain('my jira token is');
    expect(stack.gemini.requests.length).toBe(before);
  });

  it('does not take a 40-character commit hash for a token', async () => {
    const reply = await ask('ada', 'Which jira ticket fixed commit 3f9c2a7be41d08c5f6a9e2b7d4c1a0f8e3b6d9c2?');
    expect(reply.content).not.toContain('did not work');
    expect(reply.content).toContain('id.atlassian.com');
  });

  it('rejects a wrong token with the failure message and stores nothing', async () => {
    const reply = await ask('ada', `my jira token is ATATT3xFfGF0WRONGWRONGWRONGWRONGWRONGWRONG1234567890 email ${EMAIL}`);
    expect(reply.content).toContain('did not work');
    expect(reply.content).toContain('Nothing was stored');
    expect((await ask('ada', 'How many bugs are open in ABC?')).content).toContain('id.atlassian.com');
  });

  it('stores a valid token, confirms, and answers the interrupted question with a tool call', async () => {
    stack.gemini.enqueue(
      { chunks: [{ functionCall: { name: 'jira_count', args: { jql: 'project = ABC', group_by: 'status' } } }] },
      { chunks: [{ text: 'ABC has 7 issues: 4 done.' }] },
    );
    const reply = await ask('ada', `my jira token is ${TOKEN} email ${EMAIL}`);
    expect(reply.content).toContain('Connected to Jira as Ada Lovelace');
    expect(reply.content).toContain('<details type="tool_calls"');
    expect(reply.content).toContain('name="jira_count"');
    expect(reply.content).toContain('ABC has 7 issues: 4 done.');

    const [first, second] = stack.gemini.requests.slice(-2).map((request) => request.body);
    const lastUser = first!.contents.at(-1)!.parts[0]!.text;
    expect(lastUser).toBe('How many bugs are open in ABC?');
    const functionResponse = second!.contents.flatMap((content) => content.parts).find((part) => part.functionResponse);
    expect(functionResponse?.functionResponse?.name).toBe('jira_count');
    expect(JSON.stringify(functionResponse?.functionResponse?.response)).toContain('Done');
    expect(jira.jqls().some((jql) => jql.includes('project = ABC'))).toBe(true);

    const everythingSent = JSON.stringify(stack.gemini.requests);
    expect(everythingSent).not.toContain(TOKEN);
    const stored = await readDataFiles(stack.dataDir);
    expect(stored).not.toContain(TOKEN);
    expect(stored).toContain('[redacted]');

    const events = stack.logs.map((line) => JSON.parse(line) as Record<string, unknown> & { event?: string; level: number; toolkits?: string[] });
    const storedLine = events.find((entry) => entry.event === 'credential_stored' && entry.toolkits?.includes('jira'));
    expect(storedLine).toMatchObject({ user: 'ada', session: 'ada-chat', agent: 'jira-bot' });
    expect(events.some((entry) => entry.event === 'credential_rejected')).toBe(true);
    // One field name finds every line of a user: credential events and request lines alike.
    const adaLines = events.filter((entry) => entry.user === 'ada');
    expect(adaLines.some((entry) => entry.msg === 'request') && adaLines.some((entry) => entry.event === 'credential_rejected')).toBe(true);
    expect(events.some((entry) => 'userId' in entry || 'sessionId' in entry)).toBe(false);
    expect(stack.logs.join('\n')).not.toContain(TOKEN);
    const infoLines = stack.logs.filter((line) => (JSON.parse(line) as { level: number }).level >= 30).join('\n');
    expect(infoLines).not.toContain('How many bugs are open');
  });

  it('streams a tool-call round trip, and a failing tool becomes an error result, not a failed request', async () => {
    stack.gemini.enqueue(
      { chunks: [{ text: 'Let me look. ' }, { functionCall: { name: 'jira_get_issue', args: { key: 'ABC-999' } } }] },
      { chunks: [{ text: 'ABC-999 does not exist.' }] },
    );
    const reply = await ask('ada', 'What is ABC-999 about?', true);
    expect(reply.status).toBe(200);
    expect(reply.content).toContain('Let me look. ');
    expect(reply.content).toContain('name="jira_get_issue"');
    expect(reply.content).toContain('ABC-999 does not exist.');
    const toolResult = stack.gemini.requests.at(-1)!.body.contents.flatMap((content) => content.parts).find((part) => part.functionResponse);
    expect(JSON.stringify(toolResult?.functionResponse?.response)).toMatch(/error/i);
  });

  it("never lets one user's credential reach another user's tools", async () => {
    const before = stack.gemini.requests.length;
    const reply = await ask('bob', 'How many bugs are open in ABC?');
    expect(reply.content).toContain('id.atlassian.com');
    expect(stack.gemini.requests.length).toBe(before);
  });

  it("keeps the token when the user says not to forget it, and answers the question", async () => {
    stack.gemini.enqueue({ chunks: [{ text: 'There are 2 open bugs.' }] });
    const reply = await ask('ada', "Please don't forget my jira token; how many bugs?");
    expect(reply.content).not.toContain('removed your Jira token');
    expect(reply.content).toContain('There are 2 open bugs.');
    expect((await ask('ada', 'How many bugs are open in ABC?')).content).not.toContain('id.atlassian.com');
  });

  it('forgets the token when asked, and asks for it again', async () => {
    const reply = await ask('ada', 'please forget my jira token');
    expect(reply.content).toContain('removed your Jira token');
    expect((await ask('ada', 'How many bugs are open in ABC?')).content).toContain('id.atlassian.com');
  });
});
