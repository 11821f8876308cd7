import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { bin, cleanEnv } from '../cli/cli-process.ts';
import { startFakeGemini, type FakeGemini } from '../fakes/gemini-server.ts';

/** The real CLI (`node bin/agentllm.js serve`, as the Docker image runs it) stopped by SIGTERM mid-stream. */
const repo = join(import.meta.dirname, '../..');
const apiKey = 'shutdown-test-key';

let gemini: FakeGemini | undefined;
let child: ChildProcess | undefined;
let root: string | undefined;

afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await gemini?.close();
  if (root) await rm(root, { recursive: true, force: true });
  gemini = child = root = undefined;
});

async function findFreePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function startServer(port: number, dir: string, geminiUrl: string, graceMs = 5000): Promise<{ process: ChildProcess; output: () => string }> {
  const args = [bin, 'serve', '--port', String(port), '--host', '127.0.0.1',
    '--agents', join(dir, 'agents'), '--toolkits', join(repo, 'toolkits'), '--data', join(dir, 'data'), '--no-watch'];
  const env = cleanEnv({ GEMINI_API_KEY: 'test-gemini-key', GEMINI_BASE_URL: geminiUrl, AGENTLLM_API_KEY: apiKey, AGENTLLM_SHUTDOWN_GRACE_MS: String(graceMs), LOG_LEVEL: 'info' });
  const server = spawn(process.execPath, args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  server.stdout!.on('data', (data: Buffer) => { output += data.toString(); });
  server.stderr!.on('data', (data: Buffer) => { output += data.toString(); });
  return { process: server, output: () => output };
}

async function waitUntilReady(url: string, server: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}:\n${output()}`);
    const status = await fetch(`${url}/health/ready`).then((response) => response.status, () => 0);
    if (status === 200) return;
    await sleep(100);
  }
  throw new Error(`server not ready after 15 s:\n${output()}`);
}

/** Resolves with the connection error code, or 'connected' if the port still accepts connections. */
function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve('connected'); });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });
}

describe('graceful shutdown of `agentllm serve`', () => {
  it('on SIGTERM refuses new connections, finishes the running stream with [DONE], and exits 0', async () => {
    gemini = await startFakeGemini();
    const words = ['Shutting ', 'down ', 'gracefully ', 'takes ', 'time.'];
    gemini.enqueue({ chunks: words.map((text) => ({ text })), delayMs: 200 });
    root = await mkdtemp(join(tmpdir(), 'agentllm-shutdown-'));
    await mkdir(join(root, 'agents'));
    await writeFile(join(root, 'agents', 'helper.yaml'), 'name: helper\ndescription: Test agent.\ninstructions: Be brief.\n');
    const port = await findFreePort();
    const url = `http://127.0.0.1:${port}`;
    const server = await startServer(port, root, gemini.url);
    child = server.process;
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    await waitUntilReady(url, child, server.output);

    const response = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ model: 'helper', stream: true, messages: [{ role: 'user', content: 'Hi' }] }),
    });
    expect(response.status).toBe(200);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let received = (await reader.read()).value ?? '';
    expect(received).toContain('data: ');

    child.kill('SIGTERM');
    await sleep(300);
    expect(child.exitCode).toBeNull();
    expect(await tryConnect(port)).toBe('ECONNREFUSED');

    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) received += chunk.value;
    expect(received.trim().endsWith('data: [DONE]')).toBe(true);
    const deltas = received.split('\n').filter((line) => line.startsWith('data: {'))
      .map((line) => (JSON.parse(line.slice(6)) as { choices: Array<{ delta: { content?: string } }> }).choices[0]?.delta.content ?? '');
    expect(deltas.join('')).toBe(words.join(''));
    const streamDoneAt = Date.now();

    const [code, signal] = await exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    // Nothing is left to wait for once the stream is done: the idle keep-alive connection must not hold the exit
    // until the grace period runs out (Docker kills the container 10 s after SIGTERM by default).
    expect(Date.now() - streamDoneAt).toBeLessThan(2_000);
    expect(server.output()).toContain('stopping');
  });

  it('when the grace period runs out, an open stream gets a server_shutting_down error event, the cut is logged, exit 0', async () => {
    const { url, server, exited } = await startHelper(1000);
    // Far slower than the 1 s grace: 10 chunks, 1 s apart.
    gemini!.enqueue({ chunks: Array.from({ length: 10 }, (_, i) => ({ text: `part ${i} ` })), delayMs: 1000 });
    const stream = await openStream(url, {});
    child!.kill('SIGTERM');
    const received = await stream.readAll();
    const events = received.split('\n').filter((line) => line.startsWith('data: '));
    expect(events.at(-1)).toBe(
      'data: {"error":{"message":"The server is shutting down and stopped this answer before it was complete; send the request again.","type":"service_unavailable","param":null,"code":"server_shutting_down"}}',
    );
    expect(received).not.toContain('[DONE]');
    expect(await exited).toEqual([0, null]);
    const cut = server.output().split('\n').find((line) => line.includes('"event":"shutdown_cut"'));
    expect(JSON.parse(cut!)).toMatchObject({ level: 40, graceMs: 1000, cutStreams: 1, cutRequests: 0 });
  });

  it('a second signal (SIGTERM, then Ctrl-C) while streams are still running exits at once with code 130', async () => {
    const { url, server, exited } = await startHelper(60_000);
    gemini!.enqueue({ chunks: Array.from({ length: 10 }, (_, i) => ({ text: `part ${i} ` })), delayMs: 1000 });
    const stream = await openStream(url, {});
    child!.kill('SIGTERM');
    await sleep(300);
    expect(child!.exitCode).toBeNull();
    child!.kill('SIGINT');
    expect(await exited).toEqual([130, null]);
    expect(server.output()).toContain('"event":"forced_exit"');
    await stream.readAll().catch(() => '');
  });

  it('a run that finished during a normal SIGTERM is stored: the next server sends it as history', async () => {
    const first = await startHelper(5000);
    gemini!.enqueue({ chunks: [{ text: 'Stored ' }, { text: 'answer.' }], delayMs: 300 });
    const stream = await openStream(first.url, { session_id: 'shutdown-session' });
    child!.kill('SIGTERM');
    expect(await stream.readAll()).toContain('data: [DONE]');
    expect(await first.exited).toEqual([0, null]);

    const second = await restartHelper();
    gemini!.enqueue({ chunks: [{ text: 'Again.' }] });
    expect(await (await openStream(second.url, { session_id: 'shutdown-session' }, 'And now?')).readAll()).toContain('data: [DONE]');
    const history = gemini!.requests.at(-1)!.body.contents.map((content) => `${content.role}: ${content.parts.map((part) => part.text ?? '').join('')}`);
    expect(history).toEqual(['user: Hi', 'model: Stored answer.', 'user: And now?']);
  });
});

interface Helper {
  url: string;
  server: { process: ChildProcess; output: () => string };
  exited: Promise<[number | null, NodeJS.Signals | null]>;
}

let lastGrace = 5000;

/** A fresh data folder with one agent, the fake Gemini and `agentllm serve` (SIGTERM grace `graceMs`), ready. */
async function startHelper(graceMs: number): Promise<Helper> {
  gemini = await startFakeGemini();
  root = await mkdtemp(join(tmpdir(), 'agentllm-shutdown-'));
  await mkdir(join(root, 'agents'));
  await writeFile(join(root, 'agents', 'helper.yaml'), 'name: helper\ndescription: Test agent.\ninstructions: Be brief.\n');
  lastGrace = graceMs;
  return restartHelper();
}

/** `agentllm serve` again on the same data folder and fake Gemini. */
async function restartHelper(): Promise<Helper> {
  const port = await findFreePort();
  const url = `http://127.0.0.1:${port}`;
  const server = await startServer(port, root!, gemini!.url, lastGrace);
  child = server.process;
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  await waitUntilReady(url, child, server.output);
  return { url, server, exited };
}

/** Starts a streamed chat with `helper` and waits for its first bytes. */
async function openStream(url: string, metadata: Record<string, string>, text = 'Hi'): Promise<{ readAll(): Promise<string> }> {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({ model: 'helper', stream: true, metadata, messages: [{ role: 'user', content: text }] }),
  });
  expect(response.status).toBe(200);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let received = (await reader.read()).value ?? '';
  return {
    async readAll() {
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) received += chunk.value;
      return received;
    },
  };
}
