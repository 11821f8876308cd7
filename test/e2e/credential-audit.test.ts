import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGoogle, type FakeGoogle } from '../fakes/google-server.ts';
import { startFakeJira, type FakeJira } from '../fakes/jira-server.ts';
import { fakeEnv } from '../toolkits/google-drive/fake-env.ts';
import { chat } from './chat-client.ts';
import { startStack, type Stack } from './stack.ts';

const TOKEN = 'ATATT3xFfGF0T9k2Lm8Qw4Zr7Yp1Xv6Bn3Hc5Jd0Ks8Ge2Wt4Ua7Ri9Oe1=A1B2C3D4';
const EMAIL = 'ada@example.com';
const COMMIT = '3f2a9c1e0b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39';

/** Audit findings on the credential flow, through HTTP: what the user reads, what reaches the model. */
describe('credential flow through HTTP: no false credentials, precise revocation', () => {
  let stack: Stack;
  let jira: FakeJira;
  let google: FakeGoogle;
  let otherJira: FakeJira;
  const ask = (user: string, text: string, model = 'kits') => chat(stack.url, { user, session: `${user}-${model}`, text, model });

  beforeAll(async () => {
    jira = await startFakeJira({ apiToken: TOKEN });
    google = await startFakeGoogle();
    const kits = `name: kits
description: Jira and Drive, both optional.
instructions: You help the team.
toolkits:
  optional:
    - name: jira
      config:
        server_url: ${jira.url}
    - google-drive
`;
    const plain = 'name: plain\ndescription: No toolkits.\ninstructions: You chat.\n';
    otherJira = await startFakeJira({ apiToken: TOKEN });
    const other = `name: other-site\ndescription: Another Jira.\ninstructions: You help.\ntoolkits:\n  required:\n    - name: jira\n      config:\n        server_url: ${otherJira.url}\n`;
    stack = await startStack({ agents: { 'kits.yaml': kits, 'plain.yaml': plain, 'other-site.yaml': other }, env: fakeEnv(google) });
  });
  afterAll(async () => {
    await stack.close();
    await jira.close();
    await otherJira.close();
    await google.close();
  });

  it('sends a question naming a commit hash or a file path as "the authorization code" to the model, not to Google', async () => {
    const tokenRequests = () => google.requests.filter((request) => request.path.includes('token')).length;
    const before = tokenRequests();
    stack.gemini.enqueue({ chunks: [{ text: 'That commit adds the OAuth client.' }] }, { chunks: [{ text: 'It lives in src/auth.' }] });
    const hash = await ask('hugo', `the authorization code is ${COMMIT} in our repo, explain it`);
    expect(hash.content).toBe('That commit adds the OAuth client.');
    const path = await ask('hugo', 'where is the oauth code: src/auth/google-oauth-client.ts ?');
    expect(path.content).toBe('It lives in src/auth.');
    expect(tokenRequests()).toBe(before);
  });

  it('keeps the token on ordinary sentences about tokens, removes it on request, and says when nothing is stored', async () => {
    expect((await ask('iris', 'forget my jira token')).content).toContain('No Jira credential of yours is stored');
    expect((await ask('iris', `my jira token is ${TOKEN} email ${EMAIL}`)).content).toContain('Connected to Jira');
    stack.gemini.enqueue({ chunks: [{ text: 'ABC-1 is the login bug.' }] });
    expect((await ask('iris', 'forget about the jira token problem, what is ABC-1?')).content).toBe('ABC-1 is the login bug.');
    stack.gemini.enqueue({ chunks: [{ text: 'Bob keeps his access.' }] });
    expect((await ask('iris', 'can you remove the jira access for Bob from ABC project')).content).toBe('Bob keeps his access.');
    // Still connected: the question was answered with Jira's tools, no prompt.
    const declared = stack.gemini.requests.at(-1)!.body.tools!.flatMap((tool) => tool.functionDeclarations ?? []).map((declaration) => declaration.name);
    expect(declared).toContain('jira_search');
    expect((await ask('iris', 'forget my jira token')).content).toContain('removed your Jira token');
    expect((await ask('iris', 'forget my jira token')).content).toContain('No Jira credential of yours is stored');
  });

  it('forgets a stored Jira token from an agent without Jira, without calling the model', async () => {
    expect((await ask('jane', `my jira token is ${TOKEN} email ${EMAIL}`)).content).toContain('Connected to Jira');
    const calls = stack.gemini.requests.length;
    expect((await ask('jane', 'forget my jira token', 'plain')).content).toContain('removed your Jira token');
    expect(stack.gemini.requests.length).toBe(calls);
    // Gone for every agent: a Jira question on the Jira agent prompts for a token again.
    expect((await ask('jane', 'how many bugs are open in ABC?')).content).toContain('id.atlassian.com');
    // Without a stored credential the sentence is an ordinary message for the agent without Jira.
    stack.gemini.enqueue({ chunks: [{ text: 'Nothing to forget here.' }] });
    expect((await ask('jane', 'forget my jira token', 'plain')).content).toBe('Nothing to forget here.');
  });

  it('lets the user decline an optional toolkit by name or with "no thanks", for the rest of the chat', async () => {
    const prompt = (await ask('kate', 'how many bugs are open in ABC?')).content;
    expect(prompt).toContain('id.atlassian.com');
    expect(prompt).toContain('skip jira');
    stack.gemini.enqueue({ chunks: [{ text: 'Without Jira I cannot count them exactly.' }] });
    expect((await ask('kate', 'skip jira, just answer generally')).content).toBe('Without Jira I cannot count them exactly.');
    const asked = stack.gemini.requests.at(-1)!.body;
    expect(JSON.stringify(asked.contents)).toContain('how many bugs are open in ABC?');
    expect(asked.tools ?? []).toEqual([]);
    // Declined for this chat: the next Jira question is not interrupted by a prompt.
    stack.gemini.enqueue({ chunks: [{ text: 'Sprints usually last two weeks.' }] });
    expect((await ask('kate', 'how long is a sprint?')).content).toBe('Sprints usually last two weeks.');

    const drivePrompt = (await ask('kate', 'summarise the incident playbook doc')).content;
    expect(drivePrompt).toContain('/o/oauth2/v2/auth');
    expect(drivePrompt).toContain('skip drive');
    stack.gemini.enqueue({ chunks: [{ text: 'A playbook usually starts with paging.' }] });
    expect((await ask('kate', 'no thanks')).content).toBe('A playbook usually starts with paging.');
    expect(JSON.stringify(stack.gemini.requests.at(-1)!.body.contents)).toContain('summarise the incident playbook doc');
  });

  it("never sends a token stored for one Jira site to another agent's site: asks for a token for that site", async () => {
    expect((await ask('liam', `my jira token is ${TOKEN} email ${EMAIL}`)).content).toContain('Connected to Jira');
    const calls = stack.gemini.requests.length;
    const reply = await ask('liam', 'how many bugs are open?', 'other-site');
    expect(reply.content).toContain(`Your stored Jira token is for ${jira.url}, but this agent works with ${otherJira.url}`);
    expect(reply.content).toContain('my jira token is');
    expect(stack.gemini.requests.length).toBe(calls);
    expect(otherJira.requests).toHaveLength(0);
  });
});

