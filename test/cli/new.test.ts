import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'bin', 'agentllm.js');

function runCli(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd, timeout: 20_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('agentllm new (real binary)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'agentllm-new-'));
    // The scaffolded index.ts imports the plugin contract from ../../src, as in this repository.
    await cp(join(root, 'src', 'toolkit'), join(dir, 'src', 'toolkit'), { recursive: true });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates an agent and a toolkit that validate as created', async () => {
    expect((await runCli(['new', 'helpdesk'], dir)).code).toBe(0);
    expect((await runCli(['new', 'crm', '--toolkit'], dir)).code).toBe(0);
    const agent = await readFile(join(dir, 'agents', 'helpdesk.yaml'), 'utf8');
    expect(agent.split('\n')[0]).toBe('# yaml-language-server: $schema=../schemas/agent.schema.json');
    const run = await runCli(['validate'], dir);
    expect(run).toEqual({ code: 0, stdout: '✓ 1 agent and 1 toolkit valid\n', stderr: '' });
  });

  it('refuses to overwrite an existing file', async () => {
    const run = await runCli(['new', 'helpdesk'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`${join('agents', 'helpdesk.yaml')} already exists; not overwriting it\n`);
  });

  it('rejects an invalid name with exit code 2', async () => {
    const run = await runCli(['new', 'Bad Name'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("invalid name 'Bad Name'");
  });
});
