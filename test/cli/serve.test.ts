import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVE_HELP } from '../../src/cli/settings.ts';
import { cleanEnv, runCli, startServe } from './cli-process.ts';

/** `agentllm serve` through the real binary: which settings win, and what a bad one says. */
let dir: string;
const agent = (name: string) => `name: ${name}\ndescription: The ${name} agent.\ninstructions: Be brief.\n`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'agentllm-serve-'));
  for (const name of ['dotenv', 'other', 'environment', 'flag']) {
    await mkdir(join(dir, name));
    await writeFile(join(dir, name, `${name}.yaml`), agent(name));
  }
  await writeFile(join(dir, '.env'), 'AGENTLLM_AGENTS_DIR=dotenv\nHOST=127.0.0.1\nPORT=0\nAGENTLLM_DATA_DIR=data\n');
  await writeFile(join(dir, 'other.env'), 'AGENTLLM_AGENTS_DIR=other\nHOST=127.0.0.1\nPORT=0\nAGENTLLM_DATA_DIR=data\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Starts serve, reads what it says it serves from its `started` log line, and stops it. */
async function served(args: string[], env: Record<string, string> = {}): Promise<{ agents: string[]; watch: boolean; url: string; output: string }> {
  const server = await startServe(args, dir, cleanEnv(env));
  try {
    const started = JSON.parse(server.output().split('\n').find((line) => line.includes('"event":"started"'))!) as { agents: string[]; watch: boolean };
    const models = (await (await fetch(`${server.url}/v1/models`)).json()) as { data: { id: string }[] };
    expect(models.data.map((model) => model.id)).toEqual(started.agents);
    return { agents: started.agents, watch: started.watch, url: server.url, output: server.output() };
  } finally {
    expect(await server.stop()).toBe(0);
  }
}

describe('agentllm serve settings (real binary)', () => {
  it('--help prints the help (the same text as docs/configuration.md) and exits 0', async () => {
    const run = await runCli(['serve', '--help'], dir);
    expect(run).toEqual({ code: 0, stdout: `${SERVE_HELP}\n`, stderr: '' });
    const doc = await readFile(join(import.meta.dirname, '../../docs/configuration.md'), 'utf8');
    expect(doc).toContain(`\`\`\`text\n${SERVE_HELP}\n\`\`\``);
  });

  it('loads .env of the working directory', async () => {
    expect((await served([])).agents).toEqual(['dotenv']);
  });

  it('--env <file> replaces .env; the --env-file spelling works too', async () => {
    expect((await served(['--env', 'other.env'])).agents).toEqual(['other']);
    expect((await served(['--env-file', 'other.env'])).agents).toEqual(['other']);
  });

  it('a variable already in the environment beats the file, and a flag beats the environment', async () => {
    expect((await served([], { AGENTLLM_AGENTS_DIR: 'environment' })).agents).toEqual(['environment']);
    expect((await served(['--agents', 'flag'], { AGENTLLM_AGENTS_DIR: 'environment' })).agents).toEqual(['flag']);
  });

  it('AGENTLLM_WATCH=1 watches; --no-watch wins over it', async () => {
    expect((await served([], { AGENTLLM_WATCH: '1' })).watch).toBe(true);
    expect((await served(['--no-watch'], { AGENTLLM_WATCH: '1' })).watch).toBe(false);
    expect((await served([])).watch).toBe(false);
  });

  it('a missing --env file is our own error, exit 1', async () => {
    const run = await runCli(['serve', '--env', 'missing.env'], dir);
    expect(run).toEqual({ code: 1, stdout: '', stderr: 'agentllm serve: --env missing.env: no such file (expected KEY=value lines, like .env.example)\n' });
  });

  it('a bad --port or an unknown option exits 2 with the usage', async () => {
    const port = await runCli(['serve', '--port', 'eighty'], dir);
    expect(port).toEqual({ code: 2, stdout: '', stderr: `agentllm serve: --port must be a whole number from 0 to 65535, got 'eighty'\n\n${SERVE_HELP}\n` });
    const unknown = await runCli(['serve', '--prot', '80'], dir);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.split('\n')[0]).toBe("agentllm serve: unknown option '--prot'");
  });

  it('a numeric variable that is not a number is named, exit 1', async () => {
    const run = await runCli(['serve'], dir, cleanEnv({ AGENTLLM_SHUTDOWN_GRACE_MS: 'ten seconds' }));
    expect(run).toEqual({ code: 1, stdout: '', stderr: "agentllm serve: AGENTLLM_SHUTDOWN_GRACE_MS must be a whole number of milliseconds, at least 0 and at most 2147483647, got 'ten seconds' (unset it for the default, 10000)\n" });
    const port = await runCli(['serve'], dir, cleanEnv({ PORT: '80a' }));
    expect(port).toEqual({ code: 1, stdout: '', stderr: "agentllm serve: PORT must be a whole number from 0 to 65535, got '80a'\n" });
  });

  it('a bad LOG_LEVEL, GEMINI_*, cache or tool timeout is named with serve\'s prefix, exit 1, before data/secret.key is written', async () => {
    const level = await runCli(['serve', '--data', 'bad-data'], dir, cleanEnv({ LOG_LEVEL: 'loud' }));
    expect(level).toEqual({ code: 1, stdout: '', stderr: "agentllm serve: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got 'loud'\n" });
    const timeout = await runCli(['serve', '--data', 'bad-data'], dir, cleanEnv({ GEMINI_TIMEOUT_MS: 'soon' }));
    expect(timeout).toEqual({ code: 1, stdout: '', stderr: "agentllm serve: GEMINI_TIMEOUT_MS must be a whole number of milliseconds, at least 1 and at most 2147483647, got 'soon' (unset it for the default, 300000)\n" });
    await expect(readFile(join(dir, 'bad-data', 'secret.key'))).rejects.toThrow(/ENOENT/);
  });

  it('without AGENTLLM_API_KEY refuses a public host (HOST=0.0.0.0, as in the Docker image)', async () => {
    const run = await runCli(['serve'], dir, cleanEnv({ HOST: '0.0.0.0' }));
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'agentllm serve: refusing to listen on 0.0.0.0 (HOST) without AGENTLLM_API_KEY: anyone who can reach it could chat on your Gemini key ' +
        'and use the credentials users stored. Set AGENTLLM_API_KEY (clients send it as "Authorization: Bearer <key>"), listen on 127.0.0.1, ' +
        'or set AGENTLLM_ALLOW_NO_AUTH=true to serve an open API on purpose.\n',
    );
    expect((await runCli(['serve', '--host', '0.0.0.0'], dir)).stderr).toContain('refusing to listen on 0.0.0.0 (--host) without AGENTLLM_API_KEY');
  });

  it('AGENTLLM_ALLOW_NO_AUTH=true serves the open API anyway, with a banner on stderr', async () => {
    const run = await served(['--host', '0.0.0.0'], { AGENTLLM_ALLOW_NO_AUTH: 'true' });
    expect(run.agents).toEqual(['dotenv']);
    expect(run.output).toContain('! AGENTLLM_ALLOW_NO_AUTH=true: serving an OPEN API on 0.0.0.0:0 without AGENTLLM_API_KEY.');
  });

  it('with AGENTLLM_API_KEY a public host is fine and requests need the key', async () => {
    const server = await startServe(['--host', '0.0.0.0'], dir, cleanEnv({ AGENTLLM_API_KEY: 'serve-test-key' }));
    try {
      const port = new URL(server.url).port;
      expect((await fetch(`http://127.0.0.1:${port}/v1/models`)).status).toBe(401);
      const models = await fetch(`http://127.0.0.1:${port}/v1/models`, { headers: { authorization: 'Bearer serve-test-key' } });
      expect(models.status).toBe(200);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
});

describe('agentllm serve with a wrong agents directory (real binary)', () => {
  it('exits 1 naming the directory when it is missing and not watched, before writing anything', async () => {
    const run = await runCli(['serve', '--agents', 'nowhere', '--data', 'nowhere-data'], dir);
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: `agentllm serve: no agents directory ${join(dir, 'nowhere')} (--agents / AGENTLLM_AGENTS_DIR): run serve in the folder holding agents/, or point --agents at it (agentllm new <name> creates one)\n`,
    });
    await expect(readFile(join(dir, 'nowhere-data', 'secret.key'))).rejects.toThrow(/ENOENT/);
  });

  it('starts but warns loudly when it is missing while watched, or holds no agent file', async () => {
    const watched = await served(['--agents', 'later', '--watch']);
    expect(watched.agents).toEqual([]);
    expect(watched.output).toContain(`! no agents directory ${join(dir, 'later')} (--agents / AGENTLLM_AGENTS_DIR): serving 0 agents until it is created`);
    await mkdir(join(dir, 'empty'));
    await writeFile(join(dir, 'empty', 'notes.txt'), 'not an agent');
    const empty = await served(['--agents', 'empty']);
    expect(empty.agents).toEqual([]);
    expect(empty.output).toContain(`! no agent files (*.yaml, *.yml) in ${join(dir, 'empty')}: serving 0 agents (agentllm new <name> creates one)`);
    expect(empty.output).toContain('"event":"no_agents"');
  });
});
