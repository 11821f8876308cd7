import { cp, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, runCli, startServe } from '../cli/cli-process.ts';
import { createInstalledProject } from '../cli/installed-project.ts';

/**
 * A project that depends on agentllm, laid out as `npm install agentllm` leaves it: the package's
 * files in node_modules/agentllm, its dependencies hoisted beside it. The shipped toolkits are
 * copied into the project's toolkits/, next to its own agents, as docs/toolkits.md says.
 */
describe('the shipped toolkits copied into a project that depends on agentllm', () => {
  let project: string;
  let bin: string;
  beforeAll(async () => {
    ({ project, bin } = await createInstalledProject('agentllm-uses-'));
    const installed = join(project, 'node_modules', 'agentllm');
    await cp(join(installed, 'toolkits'), join(project, 'toolkits'), { recursive: true });
    await mkdir(join(project, 'agents'));
    await cp(join(installed, 'agents', 'sprint-reviewer.yaml'), join(project, 'agents', 'sprint-reviewer.yaml'));
  });
  afterAll(() => rm(project, { recursive: true, force: true }));

  it('import AgentLLM by package name only, so they validate where they were copied', async () => {
    const sources = await readdir(join(project, 'toolkits'), { recursive: true });
    for (const file of sources.filter((name) => name.endsWith('.ts'))) expect(await readFile(join(project, 'toolkits', file), 'utf8')).not.toMatch(/from '\.\.\/\.\.\/src\//);
    expect(await runCli(['validate'], project, cleanEnv(), bin)).toEqual({ code: 0, stdout: '✓ 1 agent and 2 toolkits valid\n', stderr: '' });
  });

  it('are served from there', async () => {
    const server = await startServe(['--port', '0', '--data', join(project, 'data')], project, cleanEnv(), bin);
    try {
      expect(await (await fetch(`${server.url}/health/ready`)).json()).toMatchObject({ status: 'ready', agents: 1, toolkits: 2, errors: [] });
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
});
