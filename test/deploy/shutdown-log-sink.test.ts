import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { bin, cleanEnv } from '../cli/cli-process.ts';
import { startFakeGemini, type FakeGemini } from '../fakes/gemini-server.ts';

/**
 * `agentllm serve | head`, or a log collector that stopped reading: the real process, its stdout
 * (and stderr) piped into this test, which stops reading or closes the pipe. Shutdown must not
 * depend on the log sink, and a second signal always exits at once.
 */
let gemini: FakeGemini | undefined;
let child: ChildProcess | undefined;
let root: string | undefined;

afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await gemini?.close();
  if (root) await rm(root, { recursive: true, force: true });
  gemini = child = root = undefined;
});

interface Server {
  url: string;
  exited: Promise<[number | null, NodeJS.Signals | null]>;
}

async function startServer(graceMs: number): Promise<Server> {
  gemini = await startFakeGemini();
  root = await mkdtemp(join(tmpdir(), 'agentllm-log-sink-'));
  await mkdir(join(root, 'agents'));
  await writeFile(join(root, 'agents', 'helper.yaml'), 'name: helper\ndescription: Test agent.\ninstructions: Be brief.\n');
  const env = cleanEnv({ GEMINI_API_KEY: 'test-key', GEMINI_BASE_URL: gemini.url, AGENTLLM_SHUTDOWN_GRACE_MS: String(graceMs), LOG_LEVEL: 'info' });
  child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--host', '127.0.0.1', '--no-watch', '--data', join(root, 'data')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (data: Buffer): void => {
      output += data.toString();
      const found = /"event":"started","url":"([^"]+)"/.exec(output)?.[1];
      if (found) {
        child!.stdout!.off('data', onData);
        resolve(found);
      }
    };
    child!.stdout!.on('data', onData);
    void exited.then(() => reject(new Error(`serve exited before listening:\n${output}`)));
  });
  return { url, exited };
}

/** Many requests whose log lines (each names its long path) fill the pipe several times over. */
async function floodLog(url: string): Promise<void> {
  const path = `/no-such-page-${'x'.repeat(16_000)}`;
  for (let i = 0; i < 80; i++) await fetch(`${url}${path}`).then((response) => response.arrayBuffer());
}

/** Waits for the exit, at most `ms`; null when the process is still running. */
async function exitWithin(server: Server, ms: number): Promise<[number | null, NodeJS.Signals | null] | null> {
  return Promise.race([server.exited, sleep(ms).then(() => null)]);
}

describe('shutdown does not depend on the log sink', () => {
  it('stdout no longer read (a full pipe): SIGTERM still stops the server, exit 0', async () => {
    const server = await startServer(5000);
    child!.stdout!.pause();
    child!.stderr!.pause();
    await floodLog(server.url);
    child!.kill('SIGTERM');
    expect(await exitWithin(server, 4000)).toEqual([0, null]);
  });

  it('stdout and stderr closed (`serve | head` after head is done): SIGTERM stops the server, exit 0', async () => {
    const server = await startServer(5000);
    await sleep(100);
    child!.stdout!.destroy();
    child!.stderr!.destroy();
    child!.kill('SIGTERM');
    expect(await exitWithin(server, 4000)).toEqual([0, null]);
  });

  it('a full pipe and a stream still running: the second signal exits at once with 130', async () => {
    const server = await startServer(60_000);
    gemini!.enqueue({ chunks: Array.from({ length: 30 }, (_, i) => ({ text: `part ${i} ` })), delayMs: 1000 });
    child!.stdout!.pause();
    child!.stderr!.pause();
    await floodLog(server.url);
    const response = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'helper', stream: true, messages: [{ role: 'user', content: 'Hi' }] }),
    });
    const reader = response.body!.getReader();
    await reader.read();
    child!.kill('SIGTERM');
    await sleep(300);
    child!.kill('SIGINT');
    expect(await exitWithin(server, 3000)).toEqual([130, null]);
    await reader.cancel().catch(() => undefined);
  });
});
