import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SEED, startFakeGoogle, type FakeGoogle } from '../fakes/google-server.ts';
import { fakeEnv } from '../toolkits/google-drive/fake-env.ts';
import { chat } from './chat-client.ts';
import { startStack, type Stack } from './stack.ts';

/** `instructions_doc` is read per turn (through the plugin's 10-minute cache), never frozen into the cached agent. */
describe('instructions from a Google Doc stay current', () => {
  let stack: Stack;
  let google: FakeGoogle;
  const ask = (text: string) => chat(stack.url, { user: 'nina', session: 'nina-chat', text, model: 'playbook-bot' });
  const systemText = () => stack.gemini.requests.at(-1)!.body.systemInstruction!.parts.map((part) => part.text).join('\n');

  beforeAll(async () => {
    google = await startFakeGoogle();
    const { refresh_token } = google.issueTokens();
    const agent = `name: playbook-bot\ndescription: Follows the team playbook.\ninstructions: Follow the playbook.\ntoolkits:\n  required:\n    - name: google-drive\n      config:\n        instructions_doc: ${SEED.doc}\n`;
    stack = await startStack({ agents: { 'playbook-bot.yaml': agent }, env: fakeEnv(google, { GOOGLE_REFRESH_TOKEN: refresh_token }), captureLogs: true });
  });
  afterAll(async () => {
    vi.useRealTimers();
    await stack.close();
    await google.close();
  });

  it('retries a failed first load on the next turn, logging the failure at warn', async () => {
    const doc = google.files.get(SEED.doc)!;
    google.files.delete(SEED.doc);
    expect((await ask('What do we do first?')).status).toBe(200);
    expect(systemText()).toContain('Follow the playbook.');
    expect(systemText()).not.toContain('Page the on-call engineer.');
    const warnings = stack.logs.map((line) => JSON.parse(line) as { level: number; event?: string; toolkit?: string; user?: string });
    const failed = warnings.find((entry) => entry.level === 40 && entry.event === 'instructions_failed' && entry.toolkit === 'google-drive');
    expect(failed?.user).toBe('nina');
    expect(stack.logs.join('\n')).not.toMatch(/ya29\.|1\/\//);

    google.files.set(SEED.doc, doc);
    await ask('And now?');
    expect(systemText()).toContain('Page the on-call engineer.');
  });

  it('picks up an edited doc once the 10-minute cache has expired', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    google.files.get(SEED.doc)!.content = '# Incident Playbook\n\n1. Call the incident commander.\n';
    await ask('What do we do first?');
    expect(systemText()).toContain('Page the on-call engineer.');

    vi.setSystemTime(Date.now() + 11 * 60_000);
    await ask('What do we do first, again?');
    expect(systemText()).toContain('Call the incident commander.');
    expect(systemText()).not.toContain('Page the on-call engineer.');
    vi.useRealTimers();
  });
});
