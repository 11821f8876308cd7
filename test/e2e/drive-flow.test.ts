import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED, startFakeGoogle, type FakeGoogle } from '../fakes/google-server.ts';
import { deriveKey, resolveSecretKey } from '../../src/store/secret-key.ts';
import { createOAuthState } from '../../src/toolkit/oauth-state.ts';
import { fakeEnv } from '../toolkits/google-drive/fake-env.ts';
import { chat } from './chat-client.ts';
import { approve, authorizationUrl, confirmationLine } from './oauth-browser.ts';
import { readDataFiles, startStack, type Stack } from './stack.ts';

describe('Google Drive toolkit through HTTP: OAuth consent, callback, confirmation in chat, state misuse, pasted code, remembered question', () => {
  let stack: Stack;
  let google: FakeGoogle;
  const model = 'drive-bot';
  const ask = (user: string, text: string) => chat(stack.url, { user, session: `${user}-chat`, text, model });

  beforeAll(async () => {
    google = await startFakeGoogle();
    const agent = 'name: drive-bot\ndescription: Reads the team docs.\ninstructions: You read Drive for {{user.name}}.\ntoolkits:\n  required: [google-drive]\n';
    const playbook = `name: playbook-bot\ndescription: Follows the team playbook.\ninstructions: Follow the playbook.\ntoolkits:\n  required:\n    - name: google-drive\n      config:\n        instructions_doc: ${SEED.doc}\n`;
    stack = await startStack({
      agents: { 'drive-bot.yaml': agent, 'playbook-bot.yaml': playbook },
      env: fakeEnv(google),
    });
  });
  afterAll(async () => {
    await stack.close();
    await google.close();
  });

  it('connects through the consent screen once the page\'s confirmation line is pasted in chat, and answers the remembered question', async () => {
    const prompt = await ask('carol', 'Summarize the Incident Playbook');
    const consentUrl = authorizationUrl(prompt.content);
    expect(consentUrl.origin).toBe(new URL(google.url).origin);
    expect(consentUrl.searchParams.get('redirect_uri')).toBe(`${stack.url}/oauth/google/callback`);
    expect(consentUrl.searchParams.get('scope')).toContain('drive.readonly');
    expect(consentUrl.searchParams.get('access_type')).toBe('offline');

    const callback = await approve(consentUrl);
    const page = await fetch(callback);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('One more step to connect Google Drive');
    expect(html).toContain('ada@example.com');
    expect(html).toContain('paste this line in your chat with drive-bot');
    const line = confirmationLine(html);
    expect(line).toMatch(/^Google Drive confirmation code [A-Z2-9]{5}-[A-Z2-9]{5}$/);

    const replay = await fetch(callback);
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('already used');
    // Nothing is connected until the chat confirms: "done" alone prompts again.
    expect((await ask('carol', 'done')).content).toContain('/o/oauth2/v2/auth');

    stack.gemini.enqueue(
      { chunks: [{ functionCall: { name: 'drive_read_file', args: { file: SEED.doc } } }] },
      { chunks: [{ text: 'The playbook says: page the on-call engineer first.' }] },
    );
    const answer = await ask('carol', line);
    expect(answer.content).toContain('Google Drive is connected as ada@example.com');
    expect(answer.content).toContain('name="drive_read_file"');
    expect(answer.content).toContain('page the on-call engineer first');
    const [first, second] = stack.gemini.requests.slice(-2).map((request) => request.body);
    expect(first!.contents.at(-1)!.parts[0]!.text).toBe('Summarize the Incident Playbook');
    expect(JSON.stringify(second!.contents)).toContain('Page the on-call engineer');

    const stored = await readDataFiles(stack.dataDir);
    expect(stored).not.toMatch(/ya29\.|1\/\//);
    expect(stored).not.toContain(line.split(' ').at(-1));
    expect((await ask('carol', line)).content).toContain('unknown or has expired');
  });

  it("does not connect a victim's Drive to the user who sent them a consent link", async () => {
    const link = authorizationUrl((await ask('mallory', 'open my drive folder')).content);
    const page = await fetch(await approve(link)); // the victim approves, with their own Google account
    const line = confirmationLine(await page.text());

    const victim = await ask('victor', line); // the page says: paste it in your chat
    expect(victim.content).toContain('issued to another user, so nothing was connected');
    expect((await ask('mallory', line)).content).toContain('unknown or has expired');
    expect((await ask('mallory', 'Google Drive confirmation code ABCDE-23456')).content).toContain('unknown or has expired');
    expect((await ask('mallory', 'open my drive folder')).content).toContain('/o/oauth2/v2/auth');
  });

  it("shares a user's Drive connection across agents, and puts a playbook Doc into the instructions", async () => {
    const reply = await chat(stack.url, { user: 'carol', session: 'playbook-chat', text: 'What do we do first in an incident?', model: 'playbook-bot' });
    expect(reply.status).toBe(200);
    const system = stack.gemini.requests.at(-1)!.body.systemInstruction!.parts.map((part) => part.text).join('\n');
    expect(system).toContain('Follow the playbook.');
    expect(system).toContain('Page the on-call engineer.');
  });

  it('refuses an altered state and a state signed by another server', async () => {
    const prompt = await ask('mallory', 'list my drive folder');
    const consentUrl = authorizationUrl(prompt.content);
    const state = consentUrl.searchParams.get('state')!;
    const [payload, signature] = state.split('.');
    const forged = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
    forged.u = 'carol';
    const altered = `${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${signature}`;
    const code = google.issueCode({ redirectUri: consentUrl.searchParams.get('redirect_uri')! });
    const response = await fetch(`${stack.url}/oauth/google/callback?code=${encodeURIComponent(code)}&state=${encodeURIComponent(altered)}`);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('altered');
    expect(await fetch(`${stack.url}/oauth/google/callback?code=x`).then((r) => r.status)).toBe(400);
  });

  it("refuses a pasted redirect URL whose state was issued to another user, and an expired link", async () => {
    const callback = await approve(authorizationUrl((await ask('frank', 'open my drive folder')).content));
    const stolen = await ask('eve', `here is my google drive link ${callback}`);
    expect(stolen.content).toContain('belongs to another user');
    expect(stolen.content).not.toContain(new URL(callback).searchParams.get('code')!);
    expect((await ask('eve', 'open my drive folder')).content).toContain('/o/oauth2/v2/auth');

    const master = await resolveSecretKey({ dataDir: stack.dataDir });
    const expired = createOAuthState(deriveKey(master, 'oauth-state'), { userId: 'carol', toolkit: 'google-drive', agent: 'drive-bot' }, { now: Date.now() - 11 * 60_000 });
    const response = await fetch(`${stack.url}/oauth/google/callback?code=${encodeURIComponent(google.issueCode())}&state=${encodeURIComponent(expired)}`);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('expired');
  });

  it('accepts an authorization code pasted in chat, and answers the question it interrupted', async () => {
    const prompt = await ask('dave', 'What is in the Budget 2025 sheet?');
    const redirectUri = authorizationUrl(prompt.content).searchParams.get('redirect_uri')!;
    const code = google.issueCode({ redirectUri });
    stack.gemini.enqueue({ chunks: [{ text: 'Platform spends 120 in Q1.' }] });
    const reply = await ask('dave', `my google code is ${code}`);
    expect(reply.content).toContain('Google Drive is connected');
    expect(reply.content).toContain('Platform spends 120 in Q1.');
    expect(stack.gemini.requests.at(-1)!.body.contents.at(-1)!.parts[0]!.text).toBe('What is in the Budget 2025 sheet?');
    expect(JSON.stringify(stack.gemini.requests)).not.toContain(code);
  });
});

describe('Google Drive toolkit without an OAuth client configured', () => {
  let stack: Stack;
  beforeAll(async () => {
    const agent = 'name: drive-bot\ndescription: Reads the team docs.\ninstructions: You read Drive.\ntoolkits:\n  required: [google-drive]\n';
    stack = await startStack({ agents: { 'drive-bot.yaml': agent }, captureLogs: true });
  });
  afterAll(() => stack.close());

  it('tells the user in a plain sentence to ask the administrator; the operator gets the details in the log and /health/ready', async () => {
    const reply = await chat(stack.url, { user: 'erin', session: 's', text: 'find the roadmap doc', model: 'drive-bot' });
    expect(reply.status).toBe(200);
    expect(reply.content).toBe("Google Drive isn't available on this server yet: please ask its administrator to set it up.");
    const warning = stack.logs.map((line) => JSON.parse(line) as { event?: string; reason?: string; agent?: string }).find((line) => line.event === 'toolkit_unavailable' && line.agent === 'drive-bot');
    expect(warning?.reason).toContain('GOOGLE_CLIENT_ID');
    const ready = (await (await fetch(`${stack.url}/health/ready`)).json()) as { setup_problems: string[] };
    expect(ready.setup_problems).toEqual([expect.stringMatching(/^google-drive: Google Drive is not set up on this server: set GOOGLE_CLIENT_ID.*\(agents: drive-bot\)$/)]);
  });
});
