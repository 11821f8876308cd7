import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, startServe, type ServeProcess } from '../cli/cli-process.ts';
import { malformedStreamReply, sseTextEvent, type RawReply } from '../fakes/gemini-faults.ts';
import { startFakeGemini, type FakeGemini } from '../fakes/gemini-server.ts';

/**
 * A fault-injecting Gemini in front of the real `agentllm serve` process: whatever the upstream
 * (or a proxy before it) sends, the client gets an OpenAI-shaped 502 `upstream_error`, nothing is
 * stored, and the process keeps serving.
 */
let gemini: FakeGemini;
let serve: ServeProcess;
let root: string;

beforeAll(async () => {
  gemini = await startFakeGemini();
  root = await mkdtemp(join(tmpdir(), 'agentllm-faults-'));
  await mkdir(join(root, 'agents'));
  await writeFile(join(root, 'agents', 'a.yaml'), 'name: a\ndescription: Test agent.\ninstructions: Be brief.\n');
  // A timeout far above the test's own wait: a hang shows as a failed wait, not as a 504.
  const env = cleanEnv({ GEMINI_API_KEY: 'test-key', GEMINI_BASE_URL: gemini.url, GEMINI_TIMEOUT_MS: '60000' });
  serve = await startServe(['--port', '0', '--host', '127.0.0.1', '--no-watch', '--data', join(root, 'data')], root, env);
});

afterAll(async () => {
  await serve?.stop();
  await gemini?.close();
  await rm(root, { recursive: true, force: true });
});

interface Answer {
  status: number;
  /** The error object of the body (or of the stream's last event). */
  error?: { type: string; code: string; message: string };
  text: string;
  done: boolean;
}

async function ask(stream: boolean, question: string, session?: string): Promise<Answer> {
  const response = await fetch(`${serve.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'a', stream, messages: [{ role: 'user', content: question }], ...(session ? { metadata: { session_id: session } } : {}) }),
    signal: AbortSignal.timeout(15_000),
  });
  const raw = await response.text();
  if (!response.headers.get('content-type')?.startsWith('text/event-stream')) {
    const body = JSON.parse(raw) as { error?: Answer['error']; choices?: Array<{ message: { content: string } }> };
    return { status: response.status, error: body.error, text: body.choices?.[0]?.message.content ?? '', done: true };
  }
  const events = raw.split('\n').filter((line) => line.startsWith('data: ')).map((line) => line.slice(6));
  const parsed = events.filter((data) => data !== '[DONE]').map((data) => JSON.parse(data) as { error?: Answer['error']; choices?: Array<{ delta: { content?: string } }> });
  const text = parsed.map((event) => event.choices?.[0]?.delta.content ?? '').join('');
  return { status: response.status, error: parsed.find((event) => event.error)?.error, text, done: events.at(-1) === '[DONE]' };
}

async function expectStillServing(): Promise<void> {
  expect(serve.running(), serve.output()).toBe(true);
  gemini.enqueue({ chunks: [{ text: 'still here' }] });
  expect((await ask(false, 'are you there?')).text).toBe('still here');
}

describe('a faulty upstream never ends the process', () => {
  it('one good event, then an event that is not JSON, then the end: an error event, six times out of six, and the server keeps serving', async () => {
    for (let round = 0; round < 6; round++) {
      gemini.enqueue({ ...malformedStreamReply('good start '), delayMs: round % 3 === 0 ? 0 : 20 * round });
      const answer = await ask(true, `question ${round}`);
      expect(answer).toMatchObject({ status: 200, text: 'good start ', done: false, error: { type: 'upstream_error', code: 'upstream_malformed' } });
      expect(answer.error!.message).not.toContain('not json');
      await new Promise((resolve) => setTimeout(resolve, 100));
      await expectStillServing();
    }
  });

  it.each([false, true])('a body announced as gzip that is not (stream: %s) is a 502 at once, not a wait for the timeout', async (stream) => {
    const corrupt: RawReply = { raw: ['this is not gzip'], headers: { 'content-encoding': 'gzip' } };
    gemini.enqueue(corrupt, corrupt, corrupt);
    const answer = await ask(stream, 'zipped');
    expect(answer).toMatchObject({ status: 502, error: { type: 'upstream_error' } });
    await expectStillServing();
  });

  it('a gzip stream cut into garbage after its first event ends with an error event', async () => {
    const zipped = gzipSync(sseTextEvent('zipped start '));
    gemini.enqueue({ raw: [zipped.subarray(0, zipped.length - 8), 'garbage after'], headers: { 'content-encoding': 'gzip' }, delayMs: 30 });
    const answer = await ask(true, 'zipped stream');
    expect(answer.error).toMatchObject({ type: 'upstream_error' });
    await expectStillServing();
  });
});

describe('an upstream 200 that is no answer is a 502 upstream_error and nothing is stored', () => {
  const faults: Array<[string, RawReply]> = [
    ['invalid JSON', { raw: ['{"candidates": [{"content": '] }],
    ['an empty object', { raw: ['{}'] }],
  ];
  it.each(faults)('not streaming: %s', async (_name, reply) => {
    gemini.enqueue(reply);
    const answer = await ask(false, 'first question', `unary-${_name}`);
    expect(answer).toMatchObject({ status: 502, error: { type: 'upstream_error', code: 'upstream_malformed' } });
    await expectNothingStored(`unary-${_name}`);
  });

  const streamFaults: Array<[string, RawReply]> = [
    ['an event that is not JSON', { raw: ['data: {"candidates": [\r\n\r\n'] }],
    ['an empty object', { raw: ['data: {}\r\n\r\n'] }],
    ['no event at all', { raw: [] }],
  ];
  it.each(streamFaults)('streaming: %s', async (_name, reply) => {
    gemini.enqueue(reply);
    const answer = await ask(true, 'first question', `stream-${_name}`);
    expect(answer).toMatchObject({ status: 502, error: { type: 'upstream_error', code: 'upstream_malformed' } });
    await expectNothingStored(`stream-${_name}`);
  });

  /** The next turn of the session reaches Gemini without the failed one: no question, no empty answer. */
  async function expectNothingStored(session: string): Promise<void> {
    gemini.enqueue({ chunks: [{ text: 'fine' }] });
    expect((await ask(false, 'second question', session)).text).toBe('fine');
    const contents = gemini.requests.at(-1)!.body.contents;
    expect(contents.map((content) => content.parts.map((part) => part.text).join(''))).toEqual(['second question']);
  }
});
