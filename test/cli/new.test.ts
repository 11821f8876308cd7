import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadDefinitions } from '../../src/config/load-definitions.ts';
import { cleanEnv, runCli, startServe } from './cli-process.ts';
import { createInstalledProject } from './installed-project.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));

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
    // Outside any project using agentllm, the path leads to the schemas of the binary that ran.
    const schema = relative(join(dir, 'agents'), join(repo, 'schemas', 'agent.schema.json'));
    expect(agent.split('\n')[0]).toBe(`# yaml-language-server: $schema=${schema}`);
    const run = await runCli(['validate'], dir);
    expect(run).toEqual({ code: 0, stdout: '✓ 1 agent and 1 toolkit valid\n', stderr: '' });
  });

  it('serves the scaffolded TypeScript toolkit through the real binary, outside any "type": "module" package', async () => {
    const server = await startServe(['--port', '0', '--host', '127.0.0.1', '--data', join(dir, 'data')], dir);
    try {
      const ready = await fetch(`${server.url}/health/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready', agents: 1, toolkits: 1, errors: [], setup_problems: [] });
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('names the scaffolded tool <toolkit>_ping, a valid Gemini function name, and its prompts read well without a user name', async () => {
    const long = `9${'a-'.repeat(31)}b`;
    for (const name of ['my-crm', long]) expect((await runCli(['new', name, '--toolkit'], dir)).code).toBe(0);
    const tools = await Promise.all(['crm', 'my-crm', long].map(async (name) => {
      const plugin = (await import(join(dir, 'toolkits', name, 'index.ts'))).default as { buildTools(input: unknown): Array<{ name: string }> };
      return plugin.buildTools({ credential: { token: 't' }, config: {} })[0]!.name;
    }));
    expect(tools.slice(0, 2)).toEqual(['crm_ping', 'my_crm_ping']);
    for (const tool of tools) expect(tool).toMatch(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/);
    const report = await loadDefinitions({ agentsDir: join(dir, 'agents'), toolkitsDir: join(dir, 'toolkits') });
    const crm = report.toolkits.find((toolkit) => toolkit.name === 'crm')!;
    expect(crm.templates.prompt({ toolkit: { name: 'crm', title: 'crm' }, user: {} })).toBe('To use crm, paste your API token as: my crm token is <token>');
    expect(crm.templates.prompt({ toolkit: { name: 'crm', title: 'crm' }, user: { name: 'Ada' } })).toBe('To use crm, Ada, paste your API token as: my crm token is <token>');
    const agent = report.agents.find((loaded) => loaded.name === 'helpdesk')!;
    expect(agent).toBeDefined();
    expect(await readFile(join(dir, 'agents', 'helpdesk.yaml'), 'utf8')).toContain('You are helpdesk, an assistant{{#if user.name}} for {{user.name}}{{/if}}.');
    for (const name of ['my-crm', long]) await rm(join(dir, 'toolkits', name), { recursive: true });
  });

  it('refuses to overwrite an existing file', async () => {
    const run = await runCli(['new', 'helpdesk'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`${join('agents', 'helpdesk.yaml')} already exists; not overwriting it\n`);
  });

  it('rejects an invalid name with exit code 2, by the schema\'s rule for agents and for toolkits', async () => {
    const run = await runCli(['new', 'Bad Name'], dir);
    expect(run).toEqual({ code: 2, stdout: '', stderr: "invalid agent name 'Bad Name': use lower-case letters, digits, '-', '_' and '.', starting with a letter or digit, at most 64 characters\n" });
    const dotted = await runCli(['new', 'crm.v2', '--toolkit'], dir);
    expect(dotted).toEqual({ code: 2, stdout: '', stderr: "invalid toolkit name 'crm.v2': use lower-case letters, digits, '-' and '_', starting with a letter or digit, at most 64 characters\n" });
  });

  it('accepts an agent name with a dot, as the agent schema does, and it validates', async () => {
    expect((await runCli(['new', 'gemini.helper'], dir)).code).toBe(0);
    expect(await runCli(['validate', 'agents/gemini.helper.yaml'], dir)).toEqual({ code: 0, stdout: '✓ 1 agent and 1 toolkit valid\n', stderr: '' });
  });
});

describe('agentllm new in a project that depends on agentllm', () => {
  let project: string;
  let installedBin: string;
  beforeAll(async () => {
    ({ project, bin: installedBin } = await createInstalledProject('agentllm-project-'));
  });
  afterAll(async () => {
    await rm(project, { recursive: true, force: true });
  });

  const runInstalled = (args: string[]) => runCli(args, project, cleanEnv(), installedBin);

  it('points $schema at node_modules/agentllm/schemas, and the files validate', async () => {
    expect((await runInstalled(['new', 'helpdesk'])).code).toBe(0);
    expect((await runInstalled(['new', 'crm', '--toolkit'])).code).toBe(0);
    const agent = await readFile(join(project, 'agents', 'helpdesk.yaml'), 'utf8');
    const manifest = await readFile(join(project, 'toolkits', 'crm', 'toolkit.yaml'), 'utf8');
    expect(agent.split('\n')[0]).toBe('# yaml-language-server: $schema=../node_modules/agentllm/schemas/agent.schema.json');
    expect(manifest.split('\n')[0]).toBe('# yaml-language-server: $schema=../../node_modules/agentllm/schemas/toolkit.schema.json');
    expect(await runInstalled(['validate'])).toEqual({ code: 0, stdout: '✓ 1 agent and 1 toolkit valid\n', stderr: '' });
  });
});
