import { fork, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { FakeReply } from '../test/fakes/gemini-server.ts';
import type { ServerRole } from './serve-child.ts';

/**
 * Benchmark servers each in their own process (bench/serve-child.ts), talking over loopback, so
 * that the measuring client's garbage and CPU never land on the server's heap or event loop.
 * Every child is killed when stopped, and when this process exits for any reason.
 */
export interface ChildServer {
  url: string;
  pid: number;
  /** Starts counting this process's CPU time and young-generation GC pauses. */
  startStats(): Promise<void>;
  /** CPU milliseconds, minor GC pause durations and the longest event-loop delay since startStats(). */
  stopStats(): Promise<{ cpuMs: number; gcPauses: number[]; eventLoopMaxMs: number }>;
  /** The fake Gemini's default reply (role 'fake' only). */
  setDefault(reply: FakeReply): Promise<void>;
  startProfile(alloc: boolean): Promise<void>;
  stopProfile(out: string): Promise<void>;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 30_000;
const ENTRY = new URL('./serve-child.ts', import.meta.url).pathname;
const running = new Set<ChildProcess>();
process.once('exit', () => running.forEach((child) => child.kill('SIGKILL')));

export interface ChildOptions {
  env?: NodeJS.ProcessEnv;
  /** The child's stdout (its JSON log lines) goes to this file instead of this terminal. */
  logFile?: string;
}

/** `node --import tsx bench/serve-child.ts <role> [upstream]`, resolved once it announces its URL. */
export async function startChildServer(role: ServerRole, upstream = '', options: ChildOptions = {}): Promise<ChildServer> {
  const stdout = options.logFile ? openSync(options.logFile, 'a') : 'inherit';
  const child = fork(ENTRY, [role, upstream], {
    // BENCH_NODE_FLAGS (e.g. --trace-gc) to try node or V8 flags on the server processes.
    execArgv: ['--import', 'tsx', ...(process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [])],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      LOG_LEVEL: 'error',
      AGENTLLM_SECRET_KEY: randomBytes(32).toString('hex'),
      ...options.env,
    },
    stdio: ['ignore', stdout, 'inherit', 'ipc'],
  });
  if (typeof stdout === 'number') closeSync(stdout);
  running.add(child);
  child.once('exit', () => running.delete(child));
  try {
    const { url } = await waitForUrl(child, role);
    return wrap(child, url);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

function waitForUrl(child: ChildProcess, role: string): Promise<{ url: string }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${role} did not announce its URL within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    child.once('message', (message: { url: string }) => {
      clearTimeout(timer);
      resolve(message);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${role} exited with ${code} before it announced its URL`));
    });
  });
}

function wrap(child: ChildProcess, url: string): ChildServer {
  let nextId = 0;
  const request = <T extends object>(message: object): Promise<T> =>
    new Promise((resolve, reject) => {
      const id = ++nextId;
      const onMessage = (reply: { reply?: number }) => {
        if (reply.reply !== id) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(reply as T);
      };
      const onExit = (code: number | null) => reject(new Error(`server process ${child.pid} exited with ${code}`));
      child.on('message', onMessage);
      child.once('exit', onExit);
      child.send({ ...message, id });
    });
  return {
    url,
    pid: child.pid!,
    startStats: async () => void (await request({ type: 'stats-start' })),
    stopStats: () => request({ type: 'stats-stop' }),
    setDefault: async (reply) => void (await request({ type: 'set-default', reply })),
    startProfile: async (alloc) => void (await request({ type: 'profile-start', alloc })),
    stopProfile: async (out) => void (await request({ type: 'profile-stop', out })),
    stop: () => stopChild(child),
  };
}

/** Closes the IPC channel (the child closes its server and exits), SIGKILL after 3 s. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.disconnect();
  });
}

/** Starts the fake Gemini, then the given servers in front of it, each in its own process. */
export async function startServers<R extends Exclude<ServerRole, 'fake'>>(
  roles: R[],
  options: Partial<Record<R, ChildOptions>> = {},
): Promise<{ fake: ChildServer; servers: Record<R, ChildServer>; stop(): Promise<void> }> {
  const fake = await startChildServer('fake');
  const started: ChildServer[] = [fake];
  const stop = () => Promise.all(started.map((server) => server.stop())).then(() => undefined);
  try {
    const servers = {} as Record<R, ChildServer>;
    for (const role of roles) {
      servers[role] = await startChildServer(role, fake.url, options[role]);
      started.push(servers[role]);
    }
    return { fake, servers, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** AgentLLM as deployed: info-level request logs, written to a file (as a container's stdout would be). */
export function deployedLogging(logFile: string): ChildOptions {
  return { env: { LOG_LEVEL: 'info' }, logFile };
}
