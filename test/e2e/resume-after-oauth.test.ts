import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chat, sseContent } from './chat-client.ts';
import { startDriveStack } from './drive-stack.ts';
import { approve, authorizationUrl, confirmationLine } from './oauth-browser.ts';
import type { Stack } from './stack.ts';

/** Once the toolkits it waits for are connected (here: in another chat), the next message answers the interrupted question, whatever it says. */
describe('the question interrupted by an OAuth prompt, answered once Drive is connected elsewhere', () => {
  let stack: Stack;
  let close: () => Promise<void>;
  const model = 'drive-bot';
  const QUESTION = 'Summarize the Incident Playbook';
  const lastUserText = () => stack.gemini.requests.at(-1)!.body.contents.at(-1)!.parts[0]!.text;

  beforeAll(async () => {
    ({ stack, close } = await startDriveStack());
  });
  afterAll(() => close());

  /**
   * Asks the question in the user's chat, approves the consent link in the "browser", and pastes the
   * page's confirmation line in another chat of the same user (which connects Drive there).
   * Returns the prompt the first chat got.
   */
  async function connectInAnotherChat(user: string): Promise<string> {
    const prompt = await chat(stack.url, { user, session: `${user}-chat`, text: QUESTION, model });
    const page = await fetch(await approve(authorizationUrl(prompt.content)));
    const other = await chat(stack.url, { user, session: `${user}-other`, text: confirmationLine(await page.text()), model });
    expect(other.content).toContain('Google Drive is connected');
    return prompt.content;
  }

  it('answers it on "I\'ve connected it, thanks", and only once', async () => {
    await connectInAnotherChat('uma');
    stack.gemini.enqueue({ chunks: [{ text: 'The playbook: page the on-call engineer.' }] });
    const reply = await chat(stack.url, { user: 'uma', session: 'uma-chat', text: "I've connected it, thanks", model });
    expect(reply.content).toContain('The playbook: page the on-call engineer.');
    expect(lastUserText()).toBe(QUESTION);

    await chat(stack.url, { user: 'uma', session: 'uma-chat', text: 'Who wrote it?', model });
    expect(lastUserText()).toBe('Who wrote it?');
  });

  it('answers it in a streamed reply too', async () => {
    await connectInAnotherChat('vic');
    stack.gemini.enqueue({ chunks: [{ text: 'Step one: ' }, { text: 'page on-call.' }] });
    const reply = await chat(stack.url, { user: 'vic', session: 'vic-chat', text: 'ok I clicked allow, what now?', model, stream: true });
    expect(reply.status).toBe(200);
    expect(reply.content).toContain('Step one: page on-call.');
    expect(lastUserText()).toBe(QUESTION);
  });

  it('answers it when the client resends the whole conversation (Open WebUI)', async () => {
    const prompt = await connectInAnotherChat('wes');
    stack.gemini.enqueue({ chunks: [{ text: 'Resumed answer.' }] });
    const response = await fetch(`${stack.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-OpenWebUI-User-Id': 'wes', 'X-OpenWebUI-Chat-Id': 'wes-chat' },
      body: JSON.stringify({
        model,
        stream: true,
        messages: [
          { role: 'user', content: QUESTION },
          { role: 'assistant', content: prompt },
          { role: 'user', content: "I've connected it, thanks" },
        ],
      }),
    });
    expect(sseContent(await response.text())).toContain('Resumed answer.');
    const contents = stack.gemini.requests.at(-1)!.body.contents;
    expect(contents.at(-1)!.parts[0]!.text).toBe(QUESTION);
    expect(JSON.stringify(contents)).not.toContain("I've connected it");
  });
});
