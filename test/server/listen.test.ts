import { describe, expect, it } from 'vitest';
import type { TurnEvent } from '../../src/run/turn.ts';
import { postJson, sleep, startTestServer, USAGE } from './test-server.ts';

describe('listen and close', () => {
  it('lets a running request finish, then refuses new connections', async () => {
    const server = await startTestServer();
    server.setScript(async function* (): AsyncIterable<TurnEvent> {
      await sleep(150);
      yield { type: 'text', text: 'finished' };
      yield { type: 'done', finishReason: 'stop', usage: USAGE };
    });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const running = postJson(`${server.url}/v1/chat/completions`, { model: 'helper', messages: [{ role: 'user', content: 'x' }] });
    await sleep(50);
    await server.close();
    const response = await running;
    expect(((await response.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]?.message.content).toBe('finished');
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
  });
});
