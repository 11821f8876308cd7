import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/cli-process.ts';
import { startFakeGoogle, type FakeGoogle } from '../fakes/google-server.ts';
import { startFakeJira, type FakeJira } from '../fakes/jira-server.ts';
import { fakeEnv } from '../toolkits/google-drive/fake-env.ts';
import { chat } from './chat-client.ts';
import { agentYaml, readDataFiles, startStack, type Stack } from './stack.ts';

const TOKEN = 'ATATT3xFfGF0T9k2Lm8Qw4Zr7Yp1Xv6Bn3Hc5Jd0Ks8Ge2Wt4Ua7Ri9Oe1=A1B2C3D4';

describe('credential attempts that did not work are never kept or sent on', () => {
  let stack: Stack;
  let jira: FakeJira;
  const ask = (user: string, text: string, model = 'jira-bot') => chat(stack.url, { user, session: `${user}-chat`, text, model });

  beforeAll(async () => {
    jira = await startFakeJira({ apiToken: TOKEN, email: 'alice@example.com' });
    const agent = `name: jira-bot\ndescription: Jira.\ninstructions: You help with Jira.\ntoolkits:\n  required:\n    - name: jira\n      config:\n        server_url: ${jira.url}\n`;
    stack = await startStack({ agents: { 'jira-bot.yaml': agent, 'plain.yaml': agentYaml('plain') } });
  });
  afterAll(async () => {
    await stack.close();
    await jira.close();
  });

  it('a token with a typo, after the prompt: the user hears why, and it is stored nowhere', async () => {
    expect((await ask('alice', 'How many bugs are open?')).content).toContain('I need your own token');
    const reply = await ask('alice', 'my jira token is nope-bad-token-xyz and username is alice@example.com');
    expect(reply.content).toContain('That looks like a credential, but not one I can use for Jira');
    const refused = await ask('alice', 'my jira token is nope-bad-token-xyz1 and username is alice@example.com');
    expect(refused.content).toContain('That Jira token did not work');
    const stored = await readDataFiles(stack.dataDir);
    expect(stored).not.toContain('nope-bad-token');
    // The question the prompt interrupted is still the one answered once a token works.
    stack.gemini.enqueue({ chunks: [{ text: 'Three bugs.' }] });
    const connected = await ask('alice', `my jira token is ${TOKEN} email alice@example.com`);
    expect(connected.content).toContain('Three bugs.');
    expect(stack.gemini.requests.at(-1)!.body.contents.at(-1)!.parts[0]!.text).toBe('How many bugs are open?');
  });

  it('the same typo told to an agent without Jira reaches neither the model nor the history', async () => {
    const before = stack.gemini.requests.length;
    await ask('bob', 'my jira token is nope-bad-token-xyz, why does it fail?', 'plain');
    expect(JSON.stringify(stack.gemini.requests.slice(before))).not.toContain('nope-bad-token');
    expect(stack.gemini.requests.at(-1)!.body.contents.at(-1)!.parts[0]!.text).toBe('my jira token is [redacted], why does it fail?');
    expect(await readDataFiles(stack.dataDir)).not.toContain('nope-bad-token');
  });

  it.each([false, true])('tokens in system, assistant and tool messages a client sends are redacted too (task: %s)', async (task) => {
    const before = stack.gemini.requests.length;
    const question = task ? '### Task:\nGenerate a title.' : 'What next?';
    const response = await fetch(`${stack.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'plain',
        messages: [
          { role: 'system', content: `Use my jira token is ${TOKEN} when asked.` },
          { role: 'user', content: 'Which token do you have?' },
          { role: 'assistant', content: `You gave me ${TOKEN}; the api key is sk-live-51Habcdef.` },
          { role: 'user', content: 'Look it up.' },
          { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'lookup', arguments: JSON.stringify({ q: `password: pw-4711-secret` }) } }] },
          { role: 'tool', tool_call_id: 'c1', content: `the secret is ${TOKEN}` },
          { role: 'user', content: question },
        ],
      }),
    });
    expect(response.status).toBe(200);
    const sent = JSON.stringify(stack.gemini.requests.slice(before));
    expect(sent).not.toContain(TOKEN);
    expect(sent).not.toContain('sk-live-51Habcdef');
    expect(sent).not.toContain('pw-4711-secret');
    expect(sent).toContain('[redacted]');
  });
});

describe('a token too short for a scaffolded toolkit', () => {
  let stack: Stack;
  let dir: string;
  const ask = (text: string) => chat(stack.url, { user: 'dee', session: 'dee-chat', text, model: 'kit-bot' });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'agentllm-kit-'));
    expect((await runCli(['new', 'demo-kit', '--toolkit'], dir)).code).toBe(0);
    const agent = 'name: kit-bot\ndescription: Demo.\ninstructions: You demo.\ntoolkits:\n  required: [demo-kit]\n';
    stack = await startStack({ agents: { 'kit-bot.yaml': agent }, toolkitsDir: join(dir, 'toolkits') });
  });
  afterAll(async () => {
    await stack.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("says why it was not taken, and never stores it", async () => {
    expect((await ask('hello')).content).toContain('my demo-kit token is <token>');
    const reply = await ask('my demo-kit token is abc123');
    expect(reply.content).toBe('That demo-kit token did not work: it has only 6 characters, and a token has at least 8.');
    expect(await readDataFiles(stack.dataDir)).not.toContain('abc123');
    expect((await ask('my demo-kit token is abcd1234efgh')).content).toContain('Thanks, your demo-kit token works');
  });
});

describe('while a Drive prompt waits, an ordinary message is answered as one', () => {
  let stack: Stack;
  let google: FakeGoogle;

  beforeAll(async () => {
    google = await startFakeGoogle();
    const agent = 'name: docs-bot\ndescription: Docs.\ninstructions: You help.\ntoolkits:\n  optional: [google-drive]\n';
    stack = await startStack({ agents: { 'docs-bot.yaml': agent }, env: fakeEnv(google) });
  });
  afterAll(async () => {
    await stack.close();
    await google.close();
  });

  it.each(['hello again', 'Hello World', 'thank  you'])('%j is not taken for a mistyped confirmation code', async (text) => {
    const ask = (message: string) => chat(stack.url, { user: 'hal', session: `hal-${text}`, text: message, model: 'docs-bot' });
    expect((await ask('find the roadmap doc')).content).toContain('/o/oauth2/v2/auth');
    const reply = await ask(text);
    expect(reply.content).toBe(`echo: ${text}`);
    expect(await readDataFiles(stack.dataDir)).toContain(`"user":"${text}"`);
  });
});
