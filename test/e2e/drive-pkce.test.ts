import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGoogle, type FakeGoogle } from '../fakes/google-server.ts';
import { fakeEnv } from '../toolkits/google-drive/fake-env.ts';
import { chat } from './chat-client.ts';
import { DRIVE_BOT_YAML } from './drive-stack.ts';
import { approve, authorizationUrl, confirmationLine } from './oauth-browser.ts';
import { startStack, type Stack } from './stack.ts';

/** S256 PKCE on Google's authorization-code flow, the verifier derived server-side from the configured key. */
describe('PKCE for the Google Drive authorization', () => {
  let google: FakeGoogle;
  let first: Stack;
  let second: Stack;
  const ask = (stack: Stack, user: string, text: string) => chat(stack.url, { user, session: `${user}-chat`, text, model: 'drive-bot' });

  beforeAll(async () => {
    google = await startFakeGoogle();
    // Two replicas sharing only their configuration (secret key, public URL), as behind a load balancer.
    const env = fakeEnv(google, { AGENTLLM_SECRET_KEY: 'a shared passphrase for both replicas of this test', AGENTLLM_PUBLIC_URL: 'https://agents.example.com' });
    first = await startStack({ agents: { 'drive-bot.yaml': DRIVE_BOT_YAML }, env });
    second = await startStack({ agents: { 'drive-bot.yaml': DRIVE_BOT_YAML }, env });
  });
  afterAll(async () => {
    await Promise.all([first.close(), second.close()]);
    await google.close();
  });

  it('sends an S256 challenge, never the verifier, and proves it on the callback, on another replica too', async () => {
    const link = authorizationUrl((await ask(first, 'ann', 'find the roadmap doc')).content);
    expect(link.searchParams.get('code_challenge_method')).toBe('S256');
    const challenge = link.searchParams.get('code_challenge')!;
    expect(challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(link.search).not.toContain('verifier');

    // The load balancer sends the browser's return to the other replica.
    const callback = new URL(await approve(link));
    const onSecond = new URL(callback.pathname + callback.search, second.url);
    const page = await fetch(onSecond);
    expect(page.status).toBe(200);
    expect(confirmationLine(await page.text())).toMatch(/^Google Drive confirmation code /);
    const verifier = google.requests.filter((request) => request.path === '/token').at(-1)!.form!.code_verifier!;
    expect(createHash('sha256').update(verifier).digest('base64url')).toBe(challenge);
  });

  it("a bare code works only for the user the link was issued to: another user's verifier does not match", async () => {
    const link = authorizationUrl((await ask(first, 'bea', 'find the roadmap doc')).content);
    const stolen = new URL(await approve(link)).searchParams.get('code')!;
    const refused = await ask(first, 'eve', `my google code is ${stolen}`);
    expect(refused.content).toContain('Invalid code verifier');
    expect(refused.content).not.toContain(stolen);

    const again = new URL(await approve(authorizationUrl((await ask(first, 'bea', 'find the roadmap doc')).content))).searchParams.get('code')!;
    expect((await ask(first, 'bea', `my google code is ${again}`)).content).toContain('Google Drive is connected');
  });
});
