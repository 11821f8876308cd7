import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, runCli, startServe } from '../cli/cli-process.ts';
import { agentYaml, startStack, type Stack } from './stack.ts';

/** One bad file never takes anything else down: FIFOs, alias bombs, links out of the folder, huge files. */
const apiKey = 'definition-files-key';
const withKey = { authorization: `Bearer ${apiKey}` };

/** A YAML "billion laughs": nine levels of ten aliases each. */
const ALIAS_BOMB = ['name: bomb', 'description: x', 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
  .concat('bcdefghi'.split('').map((name, i) => `${name}: &${name} [${Array.from({ length: 10 }, () => `*${'abcdefghi'[i]}`).join(',')}]`))
  .join('\n') + '\n';
const BOMB_ALIAS_LINE = 4;

/** Lines that look like /etc/shadow (not valid YAML: a secret in every line). */
const SHADOW = 'root:$6$SECRETHASHroot$abc:19000:0:99999:7:::\ndaemon:$6$SECRETHASHdaemon$def:19000:0:99999:7:::\n';
/** Some other YAML file (valid YAML, none of our keys): its keys are its content. */
const STRAY = 'hunter2_password: swordfish\nprivate_key_id: SECRETKEYID\n';

async function ready(stack: Stack, headers: Record<string, string> = withKey): Promise<{ status: number; body: { status: string; agents: number; errors?: string[]; error_count?: number } }> {
  const response = await fetch(`${stack.url}/health/ready`, { headers });
  return { status: response.status, body: await response.json() as never };
}

async function modelIds(stack: Stack): Promise<string[]> {
  const response = await fetch(`${stack.url}/v1/models`, { headers: withKey });
  return ((await response.json()) as { data: { id: string }[] }).data.map((model) => model.id).sort();
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('at start, each bad file is its own error and the others serve', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({
      agents: { 'good.yaml': agentYaml('good'), 'bomb.yaml': ALIAS_BOMB, 'stray.yaml': STRAY },
      apiKey,
      captureLogs: true,
    });
  });
  afterAll(() => stack.close());

  it('an alias bomb is that file\'s error at its line and column', async () => {
    const { body } = await ready(stack);
    expect(body.status).toBe('ready');
    expect(await modelIds(stack)).toEqual(['good']);
    expect(body.errors).toContainEqual(expect.stringMatching(new RegExp(`^agents/bomb\\.yaml:${BOMB_ALIAS_LINE}:\\d+ too many aliases`)));
  });

  it('a YAML file that is not an agent file is refused without naming its keys', async () => {
    const { body } = await ready(stack);
    expect(body.errors).toContainEqual(expect.stringMatching(/^agents\/stray\.yaml:1:1 not an agent file/));
    expect(JSON.stringify(body)).not.toMatch(/hunter2|swordfish|private_key_id|SECRETKEYID/);
    expect(stack.logs.join('\n')).not.toMatch(/hunter2|swordfish|private_key_id|SECRETKEYID/);
  });

  it('/health/ready without the key says ready or not and the counts, nothing of the errors', async () => {
    const { status, body } = await ready(stack, {});
    expect(status).toBe(200);
    expect(body).toEqual({ status: 'ready', agents: 1, toolkits: expect.any(Number), error_count: 2 });
  });
});

describe('with --watch, a bad file never stops the reloads', () => {
  let stack: Stack;
  let outside: string;

  beforeAll(async () => {
    outside = await mkdtemp(join(tmpdir(), 'agentllm-outside-'));
    await writeFile(join(outside, 'shadow'), SHADOW);
    await writeFile(join(outside, 'outside-agent.yaml'), agentYaml('outsider'));
    stack = await startStack({ agents: { 'good.yaml': agentYaml('good') }, apiKey, watch: true, captureLogs: true });
  });
  afterEach(async () => {
    for (const name of ['bomb.yaml', 'fifo.yaml', 'leak.yaml', 'zero.yaml', 'huge.yaml', 'outsider.yaml', 'linked.yaml', 'inner.txt', 'next.yaml']) {
      await rm(join(stack.agentsDir, name), { force: true });
    }
  });
  afterAll(async () => {
    await stack.close();
    await rm(outside, { recursive: true, force: true });
  });

  /** Adds `next.yaml` and waits until it serves: proof that reloads still happen. */
  async function expectReloadsGoOn(): Promise<void> {
    await writeFile(join(stack.agentsDir, 'next.yaml'), agentYaml('next'));
    await eventually(async () => (await modelIds(stack)).includes('next'));
  }

  it('an alias bomb added while serving is listed at its position, and later edits still load', async () => {
    await writeFile(join(stack.agentsDir, 'bomb.yaml'), ALIAS_BOMB);
    await eventually(async () => (await ready(stack)).body.errors?.some((error) => error.startsWith(`agents/bomb.yaml:${BOMB_ALIAS_LINE}:`)) ?? false);
    await expectReloadsGoOn();
  });

  it('a FIFO is not a definition: the reload completes (and later ones too) and says what it is', async () => {
    execFileSync('mkfifo', [join(stack.agentsDir, 'fifo.yaml')]);
    await eventually(async () => (await ready(stack)).body.errors?.some((error) => /^agents\/fifo\.yaml:1:1 is a named pipe/.test(error)) ?? false);
    await expectReloadsGoOn();
  });

  it('a link out of the folder (a secret file, /dev/zero) is not followed and nothing of its target is shown; one inside is followed', async () => {
    await symlink(join(outside, 'shadow'), join(stack.agentsDir, 'leak.yaml'));
    await symlink('/dev/zero', join(stack.agentsDir, 'zero.yaml'));
    await symlink(join(outside, 'outside-agent.yaml'), join(stack.agentsDir, 'outsider.yaml'));
    await writeFile(join(stack.agentsDir, 'inner.txt'), agentYaml('linked'));
    await symlink('inner.txt', join(stack.agentsDir, 'linked.yaml'));
    await eventually(async () => (await modelIds(stack)).includes('linked'));
    const { body } = await ready(stack);
    for (const name of ['leak', 'zero', 'outsider']) {
      expect(body.errors).toContainEqual(expect.stringMatching(new RegExp(`^agents/${name}\\.yaml:1:1 is a symbolic link to a file outside its folder`)));
    }
    expect(await modelIds(stack)).not.toContain('outsider');
    expect(JSON.stringify(body)).not.toMatch(/SECRETHASH|root|daemon/);
    expect(stack.logs.join('\n')).not.toMatch(/SECRETHASH|daemon/);
  });

  it('a file over 1 MB is refused unread, and the server keeps answering meanwhile', async () => {
    const huge = join(stack.agentsDir, 'huge.yaml');
    await writeFile(huge, agentYaml('huge'));
    await truncate(huge, 50 * 1024 * 1024);
    const started = Date.now();
    let slowest = 0;
    await eventually(async () => {
      const before = Date.now();
      const found = (await ready(stack)).body.errors?.some((error) => /^agents\/huge\.yaml:1:1 is \d+ bytes or more, over the limit of a definition file \(1048576 bytes, 1 MB\)/.test(error)) ?? false;
      slowest = Math.max(slowest, Date.now() - before);
      return found;
    });
    expect(slowest).toBeLessThan(1000);
    expect(Date.now() - started).toBeLessThan(5000);
    await expectReloadsGoOn();
  });
});

describe('the real binary', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'agentllm-defs-cli-'));
    execFileSync('mkdir', [join(dir, 'agents')]);
    await writeFile(join(dir, 'agents', 'good.yaml'), agentYaml('good'));
    await writeFile(join(dir, 'agents', 'bomb.yaml'), ALIAS_BOMB);
    execFileSync('mkfifo', [join(dir, 'agents', 'fifo.yaml')]);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('validate prints the alias bomb and the FIFO as file:line:col errors', async () => {
    const run = await runCli(['validate', 'agents'], dir);
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toMatch(new RegExp(`agents/bomb\\.yaml:${BOMB_ALIAS_LINE}:\\d+`));
    expect(run.stdout + run.stderr).toMatch(/agents\/fifo\.yaml:1:1/);
  });

  it('serve starts serving the good agent beside an alias bomb and a FIFO, and stops on SIGTERM', async () => {
    const server = await startServe(['--port', '0', '--host', '127.0.0.1', '--data', join(dir, 'data')], dir, cleanEnv());
    const models = (await (await fetch(`${server.url}/v1/models`)).json()) as { data: { id: string }[] };
    expect(models.data.map((model) => model.id)).toEqual(['good']);
    expect(await server.stop()).toBe(0);
  });
});
