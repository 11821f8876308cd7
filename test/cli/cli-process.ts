import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The real binary, as `npx agentllm` runs it. */
export const bin = fileURLToPath(new URL('../../bin/agentllm.js', import.meta.url));

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The parent's environment without any AgentLLM/Gemini/Google setting that would leak into the CLI. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const kept = Object.entries(process.env).filter(([key]) => !/^(AGENTLLM_|GEMINI_|GOOGLE_|JIRA_|PORT$|HOST$|NODE_ENV$)/.test(key));
  return { ...Object.fromEntries(kept), ...extra };
}

/** Runs `node bin/agentllm.js ...args` to completion (`script`: another copy of the binary). */
export function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = cleanEnv(), script = bin): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [script, ...args], { cwd, env, timeout: 20_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

export interface ServeProcess {
  url: string;
  output: () => string;
  /** The exit code once it exited (null while it runs, or when a signal ended it). */
  exitCode: () => number | null;
  /** True while the process runs. */
  running: () => boolean;
  stop: () => Promise<number | null>;
}

/**
 * Starts `agentllm serve` (pass `--port 0`; `script`: another copy of the binary) and resolves once it logs the URL it listens on;
 * rejects with its output when it exits first.
 */
export function startServe(args: string[], cwd: string, env: NodeJS.ProcessEnv = cleanEnv(), script = bin): Promise<ServeProcess> {
  const child = spawn(process.execPath, [script, 'serve', ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (data: Buffer) => {
      output += data.toString();
      const url = /"event":"started","url":"([^"]+)"/.exec(output)?.[1];
      if (url) resolve({ url, output: () => output, exitCode: () => child.exitCode, running: () => child.exitCode === null && child.signalCode === null, stop: () => stopChild(child) });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`serve exited with ${code} before listening:\n${output}`)));
  });
}

function stopChild(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}
