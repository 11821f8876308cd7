import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRegistry, type RegistryOptions } from '../../src/registry/create-registry.ts';
import type { Registry, RegistrySnapshot } from '../../src/registry/registry.ts';
import { agentYaml, copyFixtures, createCapturingLogger, waitFor, type TempSources } from './temp-sources.ts';

let sources: TempSources;
let registry: Registry | undefined;

beforeEach(async () => {
  sources = await copyFixtures();
  await writeFile(join(sources.agentsDir, 'plain.yaml'), agentYaml('plain', 'Uses no toolkit.'));
});

afterEach(async () => {
  await registry?.close();
  registry = undefined;
  await sources.remove();
});

async function start(options: Partial<RegistryOptions> = {}): Promise<Registry> {
  const { logger } = createCapturingLogger();
  registry = await createRegistry({ agentsDir: sources.agentsDir, toolkitsDir: sources.toolkitsDir, watch: true, logger, ...options });
  return registry;
}

function pluginSource(account: string): string {
  return `export default {\n  buildTools: () => [],\n  validateCredential: async () => ({ ok: true, credential: {}, account: '${account}' }),\n};\n`;
}

async function accountOf(snapshot: RegistrySnapshot, toolkit: string): Promise<string | undefined> {
  const check = await snapshot.toolkits.get(toolkit)!.plugin.validateCredential({ credential: {}, config: {}, env: {} });
  return check.ok ? check.account : undefined;
}

describe('createRegistry: toolkit plugins', () => {
  it('reports an index.ts without a plugin default export, leaves out the agents using it and keeps serving the rest', async () => {
    await writeFile(join(sources.toolkitsDir, 'notes', 'index.ts'), 'export default { hello: 1 };\n');
    const snapshot = (await start()).current();
    expect(snapshot.toolkits.has('notes')).toBe(false);
    expect(snapshot.agents.has('helper')).toBe(false);
    expect(snapshot.agents.has('plain')).toBe(true);
    expect(snapshot.errors).toContainEqual({
      file: expect.stringMatching(/notes\/index\.ts$/),
      line: 1,
      col: 1,
      message: 'index.ts must default-export a toolkit plugin (buildTools, validateCredential)',
    });
    expect(snapshot.errors).toContainEqual(expect.objectContaining({ file: expect.stringMatching(/helper\.yaml$/), message: expect.stringContaining("'notes'") }));
  });

  it('turns an index.ts that throws on import into an error with its message and position', async () => {
    await writeFile(join(sources.toolkitsDir, 'notes', 'index.ts'), "const x = 1;\nthrow new Error('plugin exploded');\nexport default x;\n");
    const snapshot = (await start()).current();
    expect(snapshot.toolkits.has('notes')).toBe(false);
    expect(snapshot.agents.has('plain')).toBe(true);
    const error = snapshot.errors.find((e) => e.file.endsWith('index.ts'))!;
    expect(error.message).toBe('index.ts could not be imported: plugin exploded');
  });

  it('re-imports an edited index.ts, keeping the last good plugin while the new code is broken', async () => {
    const entry = join(sources.toolkitsDir, 'notes', 'index.ts');
    await writeFile(entry, pluginSource('v1'));
    const registry = await start();
    expect(await accountOf(registry.current(), 'notes')).toBe('v1');

    await writeFile(entry, 'export default {\n  buildTools: () => [,\n};\n');
    const broken = (await waitFor(registry, (s) => s.errors.length > 0)).snapshot;
    const error = broken.errors.find((e) => e.file.endsWith('index.ts'))!;
    expect(error.message).toMatch(/^index\.ts could not be imported: /);
    expect(error).toMatchObject({ line: 3, col: 1 }); // esbuild: Unexpected "}"
    expect(await accountOf(broken, 'notes')).toBe('v1');
    expect(broken.agents.has('helper')).toBe(true);

    await writeFile(entry, pluginSource('v2'));
    const fixed = (await waitFor(registry, (s) => s.errors.length === 0)).snapshot;
    expect(await accountOf(fixed, 'notes')).toBe('v2');
  });

  it('keeps the last good toolkit and its agents while toolkit.yaml is broken', async () => {
    const registry = await start();
    const before = registry.current().toolkits.get('notes');
    await writeFile(join(sources.toolkitsDir, 'notes', 'toolkit.yaml'), 'name: notes\ndescription: [\n');
    const broken = (await waitFor(registry, (s) => s.errors.some((e) => e.file.endsWith('toolkit.yaml')))).snapshot;
    expect(broken.toolkits.get('notes')).toBe(before);
    expect(broken.agents.has('helper')).toBe(true);
  });

  it('watches a toolkit folder added while running, including later edits of its code', async () => {
    const registry = await start();
    const dir = join(sources.toolkitsDir, 'diary');
    await cp(join(sources.toolkitsDir, 'notes'), dir, { recursive: true });
    const manifest = await readFile(join(dir, 'toolkit.yaml'), 'utf8');
    await writeFile(join(dir, 'toolkit.yaml'), manifest.replace('name: notes', 'name: diary'));
    await writeFile(join(dir, 'index.ts'), pluginSource('diary-1'));
    await waitFor(registry, (s) => s.toolkits.has('diary'));
    expect(await accountOf(registry.current(), 'diary')).toBe('diary-1');
    await writeFile(join(sources.agentsDir, 'journal.yaml'), `${agentYaml('journal', 'Keeps a diary.')}toolkits:\n  required: [diary]\n`);
    await waitFor(registry, (s) => s.agents.has('journal'));
    const before = registry.current().version;
    await writeFile(join(dir, 'index.ts'), pluginSource('diary-2'));
    const { snapshot } = await waitFor(registry, (s) => s.version > before);
    expect(await accountOf(snapshot, 'diary')).toBe('diary-2');
    expect(snapshot.agents.has('journal')).toBe(true);
  });

  it('imports plugins through options.importPlugin when given', async () => {
    const imported: string[] = [];
    const plugin = { buildTools: () => [], validateCredential: async () => ({ ok: true as const, credential: {}, account: 'injected' }) };
    const registry = await start({
      watch: false,
      importPlugin: async (entry) => {
        imported.push(entry);
        return plugin;
      },
    });
    expect(imported).toEqual([join(sources.toolkitsDir, 'notes', 'index.ts')]);
    expect(await accountOf(registry.current(), 'notes')).toBe('injected');
  });
});
