import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NEW_USAGE } from '../../src/cli/new.ts';
import { SERVE_HELP } from '../../src/cli/settings.ts';
import { VALIDATE_USAGE } from '../../src/cli/validate.ts';
import { runCli } from './cli-process.ts';

const fixtureToolkits = fileURLToPath(new URL('../fixtures/config/toolkits', import.meta.url));

const GOOD = 'name: good\ndescription: A good agent.\ninstructions: Hello {{user.name}}.\ntoolkits:\n  optional: [notes]\n';
const TYPO = 'name: typo\ndescripton: oops\ninstructions: hi\n';

describe('agentllm validate (real binary)', () => {
  let clean: string;
  let broken: string;

  beforeAll(async () => {
    clean = await mkdtemp(join(tmpdir(), 'agentllm-cli-clean-'));
    broken = await mkdtemp(join(tmpdir(), 'agentllm-cli-broken-'));
    for (const dir of [clean, broken]) {
      await mkdir(join(dir, 'agents'));
      await cp(fixtureToolkits, join(dir, 'toolkits'), { recursive: true });
      await writeFile(join(dir, 'agents', 'good.yaml'), GOOD);
    }
    await writeFile(join(broken, 'agents', 'typo.yaml'), TYPO);
    await writeFile(join(broken, 'agents', 'list.yaml'), '- a\n- b\n');
  });

  afterAll(async () => {
    await rm(clean, { recursive: true, force: true });
    await rm(broken, { recursive: true, force: true });
  });

  it('exits 0 and prints a summary when agents/ and toolkits/ (the defaults) are valid', async () => {
    const run = await runCli(['validate'], clean);
    expect(run).toEqual({ code: 0, stdout: '✓ 1 agent and 2 toolkits valid\n', stderr: '' });
  });

  it('exits 1 and prints file:line:col errors and a summary', async () => {
    const run = await runCli(['validate'], broken);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      [
        'agents/list.yaml:1:1: expected a map of settings (key: value) at the top level, got a list',
        "agents/typo.yaml:2:1: unknown property 'descripton' (did you mean 'description'?)",
        '2 errors in 2 files (3 agents, 2 toolkits checked)',
        '',
      ].join('\n'),
    );
  });

  it('validates only the paths given, with toolkits from ./toolkits', async () => {
    const run = await runCli(['validate', 'agents/good.yaml'], broken);
    expect(run).toEqual({ code: 0, stdout: '✓ 1 agent and 2 toolkits valid\n', stderr: '' });
  });

  it('--format json prints errors and counts', async () => {
    const run = await runCli(['validate', '--format', 'json', 'agents/typo.yaml'], broken);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual({
      errors: [
        { file: 'agents/typo.yaml', line: 2, col: 1, message: "unknown property 'descripton' (did you mean 'description'?)" },
      ],
      agents: 1,
      toolkits: 2,
    });
  });

  it('--format github prints workflow annotations', async () => {
    const run = await runCli(['validate', '--format=github', 'agents/typo.yaml'], broken);
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n').slice(0, 1)).toEqual([
      "::error file=agents/typo.yaml,line=2,col=1::unknown property 'descripton' (did you mean 'description'?)",
    ]);
  });

  it('rejects an unknown format with exit code 2', async () => {
    const run = await runCli(['validate', '--format', 'xml'], clean);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--format must be one of: text, json, github (got 'xml')");
  });
});

describe("README's 'Validating in CI' sample", () => {
  const repo = fileURLToPath(new URL('../../', import.meta.url));
  // agents/helper.yaml as the README's sample output describes it, next to two shipped agents.
  const HELPER = 'name: helper\ndescripton: Helps.\ninstructions: 42\ntoolkits:\n  optional:\n    - google-drive\n    - jria\n';

  it('is exactly what validate prints for it', async () => {
    const readme = await readFile(join(repo, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('\n## Validating in CI\n'));
    const sample = /Every problem of every file is reported[\s\S]*?```text\n([\s\S]*?)```/.exec(section)![1];
    const dir = await mkdtemp(join(tmpdir(), 'agentllm-cli-readme-'));
    await mkdir(join(dir, 'agents'));
    await writeFile(join(dir, 'agents', 'helper.yaml'), HELPER);
    for (const name of ['assistant', 'sprint-reviewer']) await cp(join(repo, 'agents', `${name}.yaml`), join(dir, 'agents', `${name}.yaml`));
    await symlink(join(repo, 'toolkits'), join(dir, 'toolkits'));
    const run = await runCli(['validate'], dir);
    await rm(dir, { recursive: true, force: true });
    expect(run).toEqual({ code: 1, stdout: sample, stderr: '' });
  });
});

describe('agentllm (real binary)', () => {
  const cwd = fileURLToPath(new URL('../../', import.meta.url));

  it('lists the commands for --help and help', async () => {
    for (const args of [['--help'], ['help'], ['-h']]) {
      const run = await runCli(args, cwd);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/Commands:\n {2}serve .*\n {2}validate .*\n {2}new /);
    }
  });

  it('help <command> prints that command\'s help, as <command> --help does', async () => {
    for (const [command, usage] of [['serve', SERVE_HELP], ['validate', VALIDATE_USAGE], ['new', NEW_USAGE]] as const) {
      expect(await runCli(['help', command], cwd)).toEqual({ code: 0, stdout: `${usage}\n`, stderr: '' });
    }
    const unknown = await runCli(['help', 'deploy'], cwd);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.split('\n')[0]).toBe("agentllm help: unknown command 'deploy'");
  });

  it('prints the package version', async () => {
    const run = await runCli(['--version'], cwd);
    const { version } = JSON.parse(await readFile(join(cwd, 'package.json'), 'utf8')) as { version: string };
    expect(run).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('exits 2 with the help on an unknown command', async () => {
    const run = await runCli(['deploy'], cwd);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("agentllm: unknown command 'deploy'");
    expect(run.stderr).toContain('Commands:');
  });
});

describe('agentllm validate imports each toolkit plugin (real binary)', () => {
  let dir: string;
  const manifest = (name: string) => `name: ${name}\ndescription: A ${name} toolkit.\ncredential:\n  type: api_token\n  fields:\n    - name: token\n      label: Token\n      secret: true\n  detect: ['token (?<token>\\S+)']\ntemplates:\n  prompt: 'Paste your token.'\n  confirmation: 'Thanks.'\n  failure: 'No: {{error}}'\n`;
  const kits: Record<string, string> = {
    syntax: 'const plugin = {\n  buildTools() { return [] },,\n};\nexport default plugin;\n',
    nodefault: 'export const buildTools = () => [];\n',
    shapeless: 'export default { buildTools: () => [] };\n',
    throws: 'const ready = false;\nif (!ready) throw new Error("needs SERVICE_URL");\nexport default {};\n',
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'agentllm-cli-plugins-'));
    for (const [name, code] of Object.entries(kits)) {
      await mkdir(join(dir, 'toolkits', name), { recursive: true });
      await writeFile(join(dir, 'toolkits', name, 'toolkit.yaml'), manifest(name));
      await writeFile(join(dir, 'toolkits', name, 'index.ts'), code);
    }
    await mkdir(join(dir, 'agents'));
    await writeFile(join(dir, 'agents', 'good.yaml'), 'name: good\ndescription: A good agent.\ninstructions: Hello.\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reports a syntax error, a missing default export, a wrong shape and a top-level throw, as serve would drop them', async () => {
    const run = await runCli(['validate'], dir);
    expect(run.code).toBe(1);
    const shape = 'index.ts must default-export a toolkit plugin (buildTools, validateCredential)';
    expect(run.stdout).toBe(
      [
        `toolkits/nodefault/index.ts:1:1: ${shape}`,
        `toolkits/shapeless/index.ts:1:1: ${shape}`,
        "toolkits/syntax/index.ts:2:30: index.ts could not be imported: Expected identifier but found \",\"",
        'toolkits/throws/index.ts:2:19: index.ts could not be imported: needs SERVICE_URL',
        '4 errors in 4 files (1 agent, 4 toolkits checked)',
        '',
      ].join('\n'),
    );
  });
});

describe('agentllm validate with nothing to check (real binary)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'agentllm-cli-empty-'));
    await mkdir(join(dir, 'empty'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('exits 1 when there is no agents/ directory, and 0 with --allow-empty', async () => {
    const run = await runCli(['validate'], dir);
    expect(run).toEqual({
      code: 1,
      stdout: `agents:1:1: no agents directory in ${dir}: run validate in the folder holding agents/, give the paths to check, or pass --allow-empty\n1 error in 1 file (0 agents, 0 toolkits checked)\n`,
      stderr: '',
    });
    expect(await runCli(['validate', '--allow-empty'], dir)).toEqual({ code: 0, stdout: '✓ 0 agents and 0 toolkits valid\n', stderr: '' });
  });

  it('exits 1 when agents/ holds no agent file', async () => {
    await mkdir(join(dir, 'agents'));
    await writeFile(join(dir, 'agents', 'README.md'), 'not an agent\n');
    const run = await runCli(['validate'], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('agents:1:1: no agent files (*.yaml, *.yml) in agents/: create one with `agentllm new <name>`, or pass --allow-empty\n1 error in 1 file (0 agents, 0 toolkits checked)\n');
    await rm(join(dir, 'agents'), { recursive: true });
  });

  it('exits 1 for an empty directory given as a path, and 0 with --allow-empty', async () => {
    const run = await runCli(['validate', 'empty'], dir);
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n')[0]).toBe('empty:1:1: no agent files (*.yaml, *.yml) or toolkits in this directory: create one with `agentllm new <name>`, or pass --allow-empty');
    expect((await runCli(['validate', 'empty', '--allow-empty'], dir)).code).toBe(0);
  });

  it('documents --allow-empty in validate --help', async () => {
    const run = await runCli(['validate', '--help'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--allow-empty   Succeed when there is nothing to check');
  });
});

describe('agentllm validate on a file whose keys are maps (real binary)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'agentllm-cli-map-key-'));
    await mkdir(join(dir, 'agents'));
    await writeFile(join(dir, 'agents', 'map-key.yaml'), 'name: k\ndescription: d\ninstructions: i\n? { kept-out-of-logs: 1 }\n: value\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  // Found by the fuzz suite: the YAML library warned on stderr, quoting the file's key, outside of our own errors and logs.
  it('reports the file as an error and prints no process warning quoting the file', async () => {
    const run = await runCli(['validate', 'agents'], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^agents\/map-key\.yaml:\d+:\d+: /);
    expect(run.stderr).toBe('');
  });
});
