import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRegistry } from '../../src/registry/create-registry.ts';
import type { Registry, RegistrySnapshot } from '../../src/registry/registry.ts';
import { agentYaml, copyFixtures, createCapturingLogger, sleep, waitFor, type TempSources } from './temp-sources.ts';

let sources: TempSources;
let registry: Registry | undefined;

beforeEach(async () => {
  sources = await copyFixtures();
});

afterEach(async () => {
  await registry?.close();
  registry = undefined;
  await sources.remove();
});

async function start(watch = true): Promise<{ registry: Registry; lines: { level: number; msg: string }[] }> {
  const { logger, lines } = createCapturingLogger();
  registry = await createRegistry({ agentsDir: sources.agentsDir, toolkitsDir: sources.toolkitsDir, watch, logger });
  return { registry, lines };
}

describe('createRegistry: initial load', () => {
  it('serves the agents and toolkits found, with their plugins imported, and logs a summary', async () => {
    const { registry, lines } = await start(false);
    const snapshot = registry.current();
    expect(snapshot.version).toBe(1);
    expect(snapshot.loadedAt).toBeInstanceOf(Date);
    expect([...snapshot.agents.keys()]).toEqual(['helper']);
    expect([...snapshot.toolkits.keys()]).toEqual(['notes']);
    expect(snapshot.errors).toEqual([]);
    const check = await snapshot.toolkits.get('notes')!.plugin.validateCredential({ credential: {}, config: {}, env: {} });
    expect(check.ok).toBe(true);
    expect(lines.some((line) => line.msg === 'registry loaded: 1 agents, 1 toolkits, 0 errors')).toBe(true);
  });

  it('reports errors as file:line:col and still serves the valid files', async () => {
    await writeFile(join(sources.agentsDir, 'broken.yaml'), 'name: broken\ndescription: 42\n');
    const { registry, lines } = await start(false);
    const snapshot = registry.current();
    expect([...snapshot.agents.keys()]).toEqual(['helper']);
    expect(snapshot.errors.length).toBeGreaterThan(0);
    const error = snapshot.errors[0]!;
    expect(error.file).toContain('broken.yaml');
    expect(error.line).toBeGreaterThanOrEqual(1);
    const warnings = lines.filter((line) => line.level === 40).map((line) => line.msg);
    expect(warnings).toContain(`agents/broken.yaml:${error.line}:${error.col}: ${error.message}`);
  });

  it('snapshots cannot be changed by their holders', async () => {
    const { registry } = await start(false);
    const snapshot = registry.current();
    expect(() => (snapshot.agents as Map<string, unknown>).delete('helper')).toThrow(/read-only/);
    expect(() => (snapshot as { version: number }).version++).toThrow();
    expect(snapshot.agents.has('helper')).toBe(true);
  });
});

describe('createRegistry: hot reload', () => {
  it('serves a new agent file within a moment of the write', async () => {
    const { registry } = await start();
    const writtenAt = performance.now();
    await writeFile(join(sources.agentsDir, 'writer.yaml'), agentYaml('writer', 'Writes things.'));
    const { snapshot } = await waitFor(registry, (s) => s.agents.has('writer'));
    const latencyMs = performance.now() - writtenAt;
    console.info(`registry: new agent served ${latencyMs.toFixed(0)} ms after the write`);
    expect(latencyMs).toBeLessThan(1500); // typically ~60-100 ms; generous for a loaded 2-core machine
    expect(snapshot.version).toBe(2);
    expect(snapshot.agents.get('helper')).toBeDefined();
  });

  it('keeps serving the last good version of a broken file, then serves the fixed one, then drops the deleted one', async () => {
    const { registry, lines } = await start();
    const file = join(sources.agentsDir, 'helper.yaml');
    const original = registry.current().agents.get('helper')!;

    await writeFile(file, 'name: helper\ndescription: [unclosed\n');
    const broken = (await waitFor(registry, (s) => s.errors.length > 0)).snapshot;
    expect(broken.agents.get('helper')).toBe(original);
    const error = broken.errors.find((e) => e.file.endsWith('helper.yaml'))!;
    expect(error).toMatchObject({ line: expect.any(Number), col: expect.any(Number) });
    expect(lines.map((line) => line.msg)).toContain(`agents/helper.yaml:${error.line}:${error.col}: ${error.message}`);

    await writeFile(file, agentYaml('helper', 'Fixed and better.'));
    const fixed = (await waitFor(registry, (s) => s.errors.length === 0)).snapshot;
    expect(fixed.agents.get('helper')!.description).toBe('Fixed and better.');

    await rm(file);
    const gone = (await waitFor(registry, (s) => !s.agents.has('helper'))).snapshot;
    expect(gone.agents.size).toBe(0);
    expect(gone.version).toBeGreaterThan(fixed.version);
  });

  it('leaves a snapshot held by a request unchanged and tells every onChange listener about the new one', async () => {
    const { registry } = await start();
    const held = registry.current();
    const seen: RegistrySnapshot[] = [];
    registry.onChange(() => {
      throw new Error('a faulty listener does not stop the others');
    });
    registry.onChange((snapshot) => seen.push(snapshot));
    await writeFile(join(sources.agentsDir, 'helper.yaml'), agentYaml('helper', 'Changed.'));
    const { snapshot } = await waitFor(registry, (s) => s.agents.get('helper')?.description === 'Changed.');
    expect(held.version).toBe(1);
    expect(held.agents.get('helper')!.description).toBe('A helpful test agent.');
    expect(snapshot.version).toBe(2);
    expect(seen.at(-1)).toBe(snapshot);
  });

  it('notices an atomic save (write to a temp file, rename over the original) and folds a burst of writes into one reload', async () => {
    const { registry } = await start();
    const temp = join(sources.agentsDir, '.helper.yaml.tmp');
    await writeFile(temp, agentYaml('helper', 'Saved atomically.'));
    await rename(temp, join(sources.agentsDir, 'helper.yaml'));
    await writeFile(join(sources.agentsDir, 'second.yaml'), agentYaml('second', 'Second.'));
    const { snapshot } = await waitFor(registry, (s) => s.agents.get('helper')?.description === 'Saved atomically.' && s.agents.has('second'));
    await sleep(150);
    expect(snapshot.version).toBe(2);
    expect(registry.current().version).toBe(2);
  });

  it('follows an agents directory that is replaced by another', async () => {
    const { registry } = await start();
    const next = join(sources.root, 'agents-next');
    await mkdir(next);
    await writeFile(join(next, 'other.yaml'), agentYaml('other', 'From the new directory.'));
    await rename(sources.agentsDir, join(sources.root, 'agents-old'));
    await rename(next, sources.agentsDir);
    await waitFor(registry, (s) => s.agents.has('other') && !s.agents.has('helper'));
    await writeFile(join(sources.agentsDir, 'later.yaml'), agentYaml('later', 'Written after the swap.'));
    await waitFor(registry, (s) => s.agents.has('later'));
  });

  it('stops reloading after close()', async () => {
    const { registry } = await start();
    const listener: RegistrySnapshot[] = [];
    registry.onChange((snapshot) => listener.push(snapshot));
    await registry.close();
    await writeFile(join(sources.agentsDir, 'late.yaml'), agentYaml('late', 'Too late.'));
    await sleep(300);
    expect(registry.current().version).toBe(1);
    expect(registry.current().agents.has('late')).toBe(false);
    expect(listener).toEqual([]);
  });
});
