import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/cli-process.ts';
import { agentYaml, startStack, type Stack } from './stack.ts';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Every numeric request field is bounded by what Gemini accepts: a clear 400 naming it, nothing sent upstream. */
describe('numeric request fields out of the model\'s range', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ agents: { 'a.yaml': agentYaml('agent-a') } });
  });
  afterAll(() => stack.close());

  const ask = { model: 'agent-a', messages: [{ role: 'user' as const, content: 'hi' }] };

  it.each([
    ['max_tokens', 1e20],
    ['max_tokens', 65537],
    ['max_completion_tokens', 1e20],
    ['seed', 1e20],
    ['seed', 2 ** 31],
    ['seed', -(2 ** 31) - 1],
    ['n', 1e20],
    ['temperature', 1e20],
    ['top_p', 1e20],
    ['presence_penalty', -1e20],
    ['frequency_penalty', 1e20],
  ])('%s: %d is a 400 naming the parameter, and Gemini is not called', async (param, value) => {
    const before = stack.gemini.requests.length;
    const error = await stack.client.chat.completions.create({ ...ask, [param]: value } as never).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).error).toMatchObject({ type: 'invalid_request_error', param });
    expect(stack.gemini.requests.length).toBe(before);
  });

  it('the largest values Gemini takes still pass', async () => {
    await stack.client.chat.completions.create({ ...ask, max_tokens: 65536, seed: 2 ** 31 - 1 });
    expect(stack.gemini.requests.at(-1)!.body.generationConfig).toMatchObject({ maxOutputTokens: 65536, seed: 2 ** 31 - 1 });
  });
});

describe('the same bounds in an agent file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'agentllm-bounds-'));
    await mkdir(join(dir, 'agents'));
    await writeFile(join(dir, 'agents', 'big.yaml'), agentYaml('big', 'model:\n  max_tokens: 100000000000000000000\n  seed: 99999999999\n  thinking:\n    budget: 1000000\n'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('validate names each out-of-range setting at its line', async () => {
    const run = await runCli(['validate', 'agents'], dir);
    expect(run.code).toBe(1);
    const output = run.stdout + run.stderr;
    expect(output).toMatch(/big\.yaml:5:\d+: .*max_tokens/);
    expect(output).toMatch(/big\.yaml:6:\d+: .*seed/);
    expect(output).toMatch(/big\.yaml:8:\d+: .*budget/);
  });
});
