import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Idle RSS of fresh child processes, read from /proc/<pid>/status (Linux): a `serve` process once
 * /health/ready answers 200, and bare baselines once they print "ready".
 */
const REPO = new URL('..', import.meta.url).pathname;
const READY_TIMEOUT_MS = 30_000;
/** Let start-up garbage settle before reading (the process is idle by then). */
const SETTLE_MS = 500;

/** A minimal environment: no keys from the parent, logs quiet. */
function childEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn', NODE_ENV: 'production' };
}

/** RSS in MiB of `node <args>` once it prints "ready" on stdout. */
export async function measureBaselineRss(args: string[]): Promise<number> {
  const child = spawn(process.execPath, args, { cwd: REPO, env: childEnv(), stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (data: Buffer) => data.toString().includes('ready') && resolve());
      child.once('exit', (code) => reject(new Error(`node ${args.join(' ')} exited with ${code} before it was ready`)));
    });
    return await readRssAfterSettling(child);
  } finally {
    child.kill();
  }
}

/** RSS in MiB of `node bin/agentllm.js serve` (shipped agents and toolkits, a temp data dir) once ready. */
export async function measureServeRss(dataDir: string, cwd: string): Promise<number> {
  const port = await findFreePort();
  const args = ['bin/agentllm.js', 'serve', '--port', String(port), '--host', '127.0.0.1', '--data', dataDir, '--agents', `${REPO}agents`, '--toolkits', `${REPO}toolkits`, '--no-watch'];
  const child = spawn(process.execPath, args.map((arg, i) => (i === 0 ? `${REPO}${arg}` : arg)), { cwd, env: childEnv(), stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    await waitForReady(child, `http://127.0.0.1:${port}/health/ready`);
    return await readRssAfterSettling(child);
  } finally {
    child.kill();
  }
}

async function waitForReady(child: ChildProcess, url: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`serve exited with ${child.exitCode} before it was ready`);
    const status = await fetch(url).then((response) => response.status, () => 0);
    if (status === 200) return;
    await sleep(50);
  }
  throw new Error(`serve was not ready within ${READY_TIMEOUT_MS} ms`);
}

async function readRssAfterSettling(child: ChildProcess): Promise<number> {
  await sleep(SETTLE_MS);
  const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
  const kib = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]);
  if (!Number.isFinite(kib)) throw new Error('VmRSS not found in /proc/<pid>/status');
  return kib / 1024;
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
