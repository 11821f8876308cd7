import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED } from '../fakes/google-server.ts';
import { chat } from './chat-client.ts';
import { startDriveStack } from './drive-stack.ts';
import { approve, authorizationUrl, confirmationLine } from './oauth-browser.ts';
import { readDataFiles, type Stack } from './stack.ts';

/** The confirmation code pasted alone, mistyped, and the remembered question surviving both. */
describe('Drive confirmation code through HTTP', () => {
  let stack: Stack;
  let close: () => Promise<void>;
  const ask = (user: string, text: string) => chat(stack.url, { user, session: `${user}-chat`, text, model: 'drive-bot' });

  beforeAll(async () => {
    ({ stack, close } = await startDriveStack());
  });
  afterAll(() => close());

  async function codeFor(prompt: string): Promise<string> {
    const page = await fetch(await approve(authorizationUrl(prompt)));
    return confirmationLine(await page.text()).split(' ').at(-1)!;
  }

  it('says the line expires, and tells a user whose browser page did not load to paste the address', async () => {
    const prompt = (await ask('olga', 'Summarize the Incident Playbook')).content;
    expect(prompt).toContain('within 10 minutes');
    expect(prompt).toContain("copy the whole address from the browser's address bar");
    expect(prompt).not.toContain("Google's code");
  });

  it('accepts the code alone; a mistyped code gets a hint, is not stored and does not replace the question', async () => {
    const prompt = (await ask('pablo', 'Summarize the Incident Playbook')).content;
    const code = await codeFor(prompt);
    // A zero for an O: no such character in the code's alphabet.
    const mistyped = `${code.slice(0, 10)}0`;
    const calls = stack.gemini.requests.length;
    const hinted = await ask('pablo', mistyped);
    expect(hinted.content).toContain('not one I can use for Google Drive');
    expect(hinted.content).toContain('/o/oauth2/v2/auth');
    expect(stack.gemini.requests.length).toBe(calls);
    expect(await readDataFiles(stack.dataDir)).not.toContain(mistyped);

    stack.gemini.enqueue(
      { chunks: [{ functionCall: { name: 'drive_read_file', args: { file: SEED.doc } } }] },
      { chunks: [{ text: 'The playbook says: page the on-call engineer first.' }] },
    );
    const answer = await ask('pablo', code);
    expect(answer.content).toContain('Google Drive is connected as');
    expect(answer.content).toContain('page the on-call engineer first');
    // The model was asked the original question, never the code.
    const asked = JSON.stringify(stack.gemini.requests.at(-2)!.body.contents);
    expect(asked).toContain('Summarize the Incident Playbook');
    expect(asked).not.toContain(code);
  });
});
