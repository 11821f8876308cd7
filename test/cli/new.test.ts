import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startServe } from './cli-process.ts';

describe('agentllm new (real binary)', () => {
  let dir: string;
  beforeAll(async () => {
    // A bare folder: no package.json (so no "type": "module"), nothing copied from this repository.
    dir = await mkdtemp(join(tmpdir(), 'agentllm-new-'));
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

  it('serves the scaffolded TypeScript toolkit through the real binary, outside any "type": "module" package', async () => {
    const server = await startServe(['--port', '0', '--host', '127.0.0.1', '--data', join(dir, 'data')], dir);
    try {
      const ready = await fetch(`${server.url}/health/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready', agents: 1, toolkits: 1, errors: [] });
    } finally {
      expect(await server.stop()).toBe(0);
    }
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
