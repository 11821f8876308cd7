import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentYaml, startStack, type Stack } from './stack.ts';

async function modelIds(stack: Stack): Promise<string[]> {
  const response = await fetch(`${stack.url}/v1/models`);
  return ((await response.json()) as { data: { id: string }[] }).data.map((model) => model.id).sort();
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('hot reload through /v1/models', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ agents: { 'first.yaml': agentYaml('first') }, watch: true });
  });
  afterAll(() => stack.close());

  it('adds, keeps the last good version of a broken file, fixes and deletes agents without a restart', async () => {
    expect(await modelIds(stack)).toEqual(['first']);

    await writeFile(join(stack.agentsDir, 'second.yaml'), agentYaml('second'));
    await eventually(async () => (await modelIds(stack)).includes('second'));

    await writeFile(join(stack.agentsDir, 'second.yaml'), 'name: second\ndescription: [broken\n');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await modelIds(stack)).toEqual(['first', 'second']);
    const ready = await (await fetch(`${stack.url}/health/ready`)).json();
    expect(JSON.stringify(ready)).toMatch(/second\.yaml:\d+:\d+/);

    await writeFile(join(stack.agentsDir, 'second.yaml'), agentYaml('second', 'model:\n  temperature: 0.9\n').replace('The second test agent.', 'Fixed.'));
    await eventually(async () => {
      const model = (await (await fetch(`${stack.url}/v1/models/second`)).json()) as { description?: string };
      return model.description === 'Fixed.';
    });

    await rm(join(stack.agentsDir, 'second.yaml'));
    await eventually(async () => !(await modelIds(stack)).includes('second'));
    expect(await modelIds(stack)).toEqual(['first']);
  });
});

describe('hot reload while requests are in flight', () => {
  let stack: Stack;
  const agentFile = (instructions: string, description: string) =>
    `name: steady\ndescription: ${description}\ninstructions: ${instructions}\n`;

  beforeAll(async () => {
    stack = await startStack({ agents: { 'steady.yaml': agentFile('Old instructions.', 'Version one.') }, watch: true, captureLogs: true });
  });
  afterAll(() => stack.close());

  async function description(): Promise<string | undefined> {
    return ((await (await fetch(`${stack.url}/v1/models/steady`)).json()) as { description?: string }).description;
  }

  it('finishes a request that started before an edit on the version it started with; the next one uses the new version', async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const requests = stack.gemini.requests.length;
    stack.gemini.enqueue({ chunks: [{ text: 'answered ' }, { text: 'in flight' }], holdUntil: held });
    const inFlight = stack.client.chat.completions.create({ model: 'steady', stream: true, messages: [{ role: 'user', content: 'slow one' }] });
    await stack.gemini.waitForRequests(requests + 1);

    await writeFile(join(stack.agentsDir, 'steady.yaml'), agentFile('New instructions.', 'Version two.'));
    await eventually(async () => (await description()) === 'Version two.');
    release();

    let text = '';
    for await (const chunk of await inFlight) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('answered in flight');
    expect(stack.gemini.requests[requests]!.body.systemInstruction?.parts[0]?.text).toBe('Old instructions.');

    const next = await stack.client.chat.completions.create({ model: 'steady', messages: [{ role: 'user', content: 'fresh one' }] });
    expect(next.choices[0]?.message.content).toBe('echo: fresh one');
    expect(stack.gemini.requests.at(-1)!.body.systemInstruction?.parts[0]?.text).toBe('New instructions.');
  });

  it('logs a broken edit with file:line:col and keeps serving the last good version', async () => {
    await writeFile(join(stack.agentsDir, 'steady.yaml'), 'name: steady\ndescription: [broken\n');
    await eventually(async () => stack.logs.some((line) => /steady\.yaml:\d+:\d+: /.test(line)));
    const logged = stack.logs.map((line) => JSON.parse(line) as { level: number; msg: string }).find((line) => /steady\.yaml:\d+:\d+: /.test(line.msg));
    expect(logged).toMatchObject({ level: 40, msg: expect.stringMatching(/^agents\/steady\.yaml:3:1: YAML syntax error/) });
    expect(await description()).toBe('Version two.');
    const completion = await stack.client.chat.completions.create({ model: 'steady', messages: [{ role: 'user', content: 'still?' }] });
    expect(completion.choices[0]?.message.content).toBe('echo: still?');
  });

  it('names files in reload warnings from their folder, as /health/ready does, duplicate names included', async () => {
    await writeFile(join(stack.agentsDir, 'pair-1.yaml'), agentYaml('pair'));
    await writeFile(join(stack.agentsDir, 'pair-2.yaml'), agentYaml('pair'));
    await eventually(async () => stack.logs.some((line) => line.includes("duplicate agent name 'pair'")));
    const warning = stack.logs.map((line) => JSON.parse(line) as { msg: string }).find((line) => line.msg.includes("duplicate agent name 'pair'"));
    expect(warning?.msg).toMatch(/^agents\/pair-2\.yaml:\d+:\d+: duplicate agent name 'pair': already defined in pair-1\.yaml$/);
    const ready = (await (await fetch(`${stack.url}/health/ready`)).json()) as { errors: string[] };
    expect(ready.errors).toContainEqual(expect.stringMatching(/^agents\/pair-2\.yaml:\d+:\d+ duplicate agent name 'pair': already defined in pair-1\.yaml$/));
    const registryWarnings = stack.logs.filter((line) => line.includes('"level":40') && /\.yaml:\d+:\d+: /.test(line));
    expect(registryWarnings.length).toBeGreaterThan(1);
    expect(registryWarnings.join('\n')).not.toContain(stack.root);
    await rm(join(stack.agentsDir, 'pair-2.yaml'));
  });
});

describe('/v1/models across reloads', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ agents: { 'zeta.yaml': agentYaml('zeta'), 'alpha.yaml': agentYaml('alpha'), 'mid.yaml': agentYaml('mid') }, watch: true });
  });
  afterAll(() => stack.close());

  type Listed = { id: string; created: number; description: string };
  async function listed(): Promise<Listed[]> {
    return ((await (await fetch(`${stack.url}/v1/models`)).json()) as { data: Listed[] }).data;
  }

  it('lists models sorted by id, and an edit moves neither its place nor its created time', async () => {
    const before = await listed();
    expect(before.map((model) => model.id)).toEqual(['alpha', 'mid', 'zeta']);
    // `created` is in seconds: the reload must happen in a later second to show a change.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await writeFile(join(stack.agentsDir, 'alpha.yaml'), agentYaml('alpha').replace('The alpha test agent.', 'Edited.'));
    await writeFile(join(stack.agentsDir, 'beta.yaml'), agentYaml('beta'));
    await eventually(async () => (await listed()).some((model) => model.description === 'Edited.') && (await listed()).length === 4);
    const after = await listed();
    expect(after.map((model) => model.id)).toEqual(['alpha', 'beta', 'mid', 'zeta']);
    const created = (list: Listed[], id: string): number | undefined => list.find((model) => model.id === id)?.created;
    for (const id of ['alpha', 'mid', 'zeta']) expect(created(after, id)).toBe(created(before, id));
    expect(created(after, 'beta')).toBeGreaterThan(created(before, 'alpha')!);
    const one = (await (await fetch(`${stack.url}/v1/models/alpha`)).json()) as Listed;
    expect(one.created).toBe(created(before, 'alpha'));
  });
});
