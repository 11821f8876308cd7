import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGoogle, type FakeGoogle } from '../fakes/google-server.ts';
import { startFakeJira, type FakeJira } from '../fakes/jira-server.ts';
import { fakeEnv } from '../toolkits/google-drive/fake-env.ts';
import { chat } from './chat-client.ts';
import { agentYaml, readDataFiles, startStack, type Stack } from './stack.ts';

const TOKEN = 'ATATT3xFfGF0T9k2Lm8Qw4Zr7Yp1Xv6Bn3Hc5Jd0Ks8Ge2Wt4Ua7Ri9Oe1=A1B2C3D4';
const EMAIL = 'ada@example.com';

/** Credential flow edge cases: two toolkits in one agent, a message that both revokes and pastes. */
describe('credential flow edge cases through HTTP', () => {
  let stack: Stack;
  let jira: FakeJira;
  let google: FakeGoogle;
  const model = 'two-kits';
  const ask = (user: string, text: string) => chat(stack.url, { user, session: `${user}-chat`, text, model });

  beforeAll(async () => {
    jira = await startFakeJira({ apiToken: TOKEN });
    google = await startFakeGoogle();
    const agent = `name: two-kits
description: Jira and Drive.
instructions: You help {{user.name}}.
toolkits:
  required:
    - name: jira
      config:
        server_url: ${jira.url}
  optional: [google-drive]
`;
    stack = await startStack({ agents: { 'two-kits.yaml': agent, 'plain.yaml': agentYaml('plain') }, env: fakeEnv(google) });
  });
  afterAll(async () => {
    await stack.close();
    await jira.close();
    await google.close();
  });

  it('never stores a token pasted in a message that also asks to forget it', async () => {
    const reply = await ask('rita', `forget my jira token. my jira token is ${TOKEN} email ${EMAIL}`);
    expect(reply.status).toBe(200);
    expect(reply.content).toContain('No Jira credential of yours is stored');
    expect(await readDataFiles(stack.dataDir)).not.toContain(TOKEN);
    // Revocation wins: the token in the same message is not stored.
    expect((await ask('rita', 'How many bugs are open in ABC?')).content).toContain('id.atlassian.com');
  });

  it("stores and redacts every toolkit's credential from a message that carries two", async () => {
    const code = google.issueCode({ redirectUri: `${stack.url}/oauth/google/callback` });
    const before = stack.gemini.requests.length;
    const reply = await ask('sam', `my jira token is ${TOKEN} email ${EMAIL} and my google code is ${code}`);
    expect(reply.status).toBe(200);
    expect(reply.content).toContain('Connected to Jira');
    expect(reply.content).toContain('Google Drive is connected');
    // Both were stored: a Drive question runs the agent with Drive's tools instead of prompting.
    const driveQuestion = await ask('sam', 'list my drive folder');
    expect(driveQuestion.content).not.toContain('/o/oauth2/v2/auth');
    const declared = stack.gemini.requests.at(-1)!.body.tools!.flatMap((tool) => tool.functionDeclarations ?? []).map((declaration) => declaration.name);
    expect(declared).toEqual(expect.arrayContaining(['jira_search', 'drive_list_folder']));
    const stored = await readDataFiles(stack.dataDir);
    expect(stored).not.toContain(TOKEN);
    expect(stored).not.toContain(code);
    expect(JSON.stringify(stack.gemini.requests.slice(before))).not.toContain(code);
  });

  it('redacts a credential pasted to an agent without that toolkit: Gemini and the data files never see it', async () => {
    const before = stack.gemini.requests.length;
    const reply = await chat(stack.url, { user: 'pia', session: 'pia-plain', text: `my jira token is ${TOKEN}, is it safe to share?`, model: 'plain' });
    expect(reply.status).toBe(200);
    const sent = JSON.stringify(stack.gemini.requests.slice(before));
    expect(sent).toContain('[redacted]');
    expect(sent).not.toContain(TOKEN);
    // A client resending the conversation (Open WebUI) carries it again: still redacted, also the
    // second time, when the runtime remembers what that message redacts to.
    const history = [
      { role: 'user' as const, content: `my jira token is ${TOKEN}` },
      { role: 'assistant' as const, content: 'Noted.' },
      { role: 'user' as const, content: 'what did I just tell you?' },
    ];
    await stack.client.chat.completions.create({ model: 'plain', messages: history });
    await stack.client.chat.completions.create({ model: 'plain', messages: [...history, { role: 'assistant', content: 'A token.' }, { role: 'user', content: 'and before that?' }] });
    const resent = stack.gemini.requests.slice(-2).map((request) => JSON.stringify(request.body.contents));
    for (const contents of resent) expect(contents).toContain('my jira token is [redacted]');
    expect(JSON.stringify(stack.gemini.requests.slice(before))).not.toContain(TOKEN);
    expect(await readDataFiles(stack.dataDir)).not.toContain(TOKEN);
  });
});
