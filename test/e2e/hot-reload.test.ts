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
