/**
 * The real server, as `agentllm serve` runs it, in a child process of its own: a fault that ends
 * the process (an unhandled 'error' event, an exception out of a callback) shows as a dead child
 * instead of taking the fuzzer down with it. When it died, the next `ensureUp` starts a new one
 * (so shrinking can replay inputs one by one) and keeps the last death's output for the report.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sessionFile } from '../../../src/store/shard-path.ts';
import type { SessionKey } from '../../../src/store/store.ts';
import { bin, cleanEnv } from '../../cli/cli-process.ts';

export interface FuzzServerOptions {
  /** Agent files by name, written to a fresh agents folder. */
  agents: Record<string, string>;
  /** Toolkits of test/fixtures/config/toolkits to serve (copied to a fresh toolkits folder). */
  toolkits?: string[];
  /** Where the server's Gemini calls go (a fake on loopback). */
  upstreamUrl: string;
  env?: Record<string, string>;
}

export interface FuzzServer {
  readonly url: string;
  readonly dataDir: string;
  /** False once the child process has exited. */
  alive(): boolean;
  /** How the current child died (exit code or signal, and its output's tail); undefined while it runs. */
  describeDeath(): string | undefined;
  /** Server processes that died so far (each was replaced by a new one). */
  readonly deaths: number;
  /** Starts a new child when the current one died. */
  ensureUp(): Promise<void>;
  /** The session file of `key` as text, if there is one. */
  readSessionFile(key: SessionKey): Promise<string | undefined>;
  stop(): Promise<void>;
}

const OUTPUT_TAIL = 16_000;
const FIXTURE_TOOLKITS = resolve(import.meta.dirname, '../../fixtures/config/toolkits');
const START_TIMEOUT_MS = 30_000;

export async function startFuzzServer(options: FuzzServerOptions): Promise<FuzzServer> {
  const root = await mkdtemp(join(tmpdir(), 'agentllm-fuzz-'));
  const agentsDir = join(root, 'agents');
  const toolkitsDir = join(root, 'toolkits');
  const dataDir = join(root, 'data');
  await mkdir(agentsDir);
  await mkdir(toolkitsDir);
  for (const [name, text] of Object.entries(options.agents)) await writeFile(join(agentsDir, name), text);
  for (const name of options.toolkits ?? []) await cp(join(FIXTURE_TOOLKITS, name), join(toolkitsDir, name), { recursive: true });
  const env = cleanEnv({
    GEMINI_API_KEY: 'fuzz-gemini-key',
    GEMINI_BASE_URL: options.upstreamUrl,
    GEMINI_RETRY_ATTEMPTS: '2',
    GEMINI_TIMEOUT_MS: '5000',
    LOG_LEVEL: 'info',
    ...options.env,
  });
  const args = ['serve', '--port', '0', '--host', '127.0.0.1', '--agents', agentsDir, '--toolkits', toolkitsDir, '--data', dataDir];
  let child = await spawnServe(args, root, env);
  let deaths = 0;
  const running = (): boolean => child.process.exitCode === null && child.process.signalCode === null;

  return {
    get url() { return child.url; },
    dataDir,
    alive: running,
    describeDeath: () => (running() ? undefined : describeExit(child)),
    get deaths() { return deaths; },
    async ensureUp() {
      if (running()) return;
      deaths++;
      child = await spawnServe(args, root, env);
    },
    readSessionFile: (key) => readFile(join(dataDir, sessionFile(key)), 'utf8').catch(() => undefined),
    async stop() {
      await stopChild(child.process);
      await rm(root, { recursive: true, force: true });
    },
  };
}

interface RunningChild {
  process: ChildProcess;
  url: string;
  output: () => string;
}

function spawnServe(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<RunningChild> {
  const child = spawn(process.execPath, [bin, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const onData = (data: Buffer): void => {
    output = (output + data.toString()).slice(-OUTPUT_TAIL);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`serve did not start in ${START_TIMEOUT_MS} ms:\n${output}`)); }, START_TIMEOUT_MS);
    const waitForUrl = (): void => {
      const url = /"event":"started","url":"([^"]+)"/.exec(output)?.[1];
      if (!url) return;
      clearTimeout(timer);
      child.stdout!.off('data', waitForUrl);
      resolve({ process: child, url, output: () => output });
    };
    child.stdout!.on('data', waitForUrl);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`serve exited with ${code} before listening:\n${output}`)); });
  });
}

function describeExit(child: RunningChild): string {
  const how = child.process.signalCode ? `signal ${child.process.signalCode}` : `exit code ${child.process.exitCode}`;
  return `the server process ended (${how}); its last output:\n${child.output().slice(-4000)}`;
}

/** SIGTERM, then SIGKILL when it has not exited within 3 s (a stuck shutdown must not hang the suite). */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => { clearTimeout(timer); resolve(); });
    child.kill('SIGTERM');
  });
}
