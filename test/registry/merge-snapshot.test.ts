import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Definitions, LoadedAgent, LoadedToolkit, SourceError } from '../../src/config/definitions.ts';
import { mergeSnapshot, type MergeInput } from '../../src/registry/merge-snapshot.ts';
import type { RegistrySnapshot } from '../../src/registry/registry.ts';
import type { ToolkitPlugin } from '../../src/toolkit/plugin.ts';

const AGENTS = '/srv/agents';
const TOOLKITS = '/srv/toolkits';
const plugin: ToolkitPlugin = { buildTools: () => [], validateCredential: async () => ({ ok: true, credential: {} }) };

function agent(name: string, file: string, toolkits: string[] = []): LoadedAgent {
  const uses = toolkits.map((toolkit) => ({ name: toolkit, required: true, config: {} }));
  return { name, description: `${name} from ${file}`, file: join(AGENTS, file), toolkits: uses } as unknown as LoadedAgent;
}

function toolkit(name: string): LoadedToolkit {
  const dir = join(TOOLKITS, name);
  return { name, title: name, dir, file: join(dir, 'toolkit.yaml'), entry: join(dir, 'index.ts') } as unknown as LoadedToolkit;
}

function error(file: string): SourceError {
  return { file, line: 2, col: 3, message: 'broken' };
}

function merge(definitions: Partial<Definitions>, previous?: RegistrySnapshot, pluginErrors: SourceError[] = []): ReturnType<typeof mergeSnapshot> {
  const full: Definitions = { agents: [], toolkits: [], errors: [], ...definitions };
  const plugins = new Map(full.toolkits.map((t) => [t.entry, plugin] as const));
  for (const e of pluginErrors) plugins.delete(e.file);
  const input: MergeInput = {
    previous, definitions: full, plugins, pluginErrors,
    agentsDir: AGENTS, toolkitsDir: TOOLKITS, version: (previous?.version ?? 0) + 1, loadedAt: new Date(),
  };
  return mergeSnapshot(input);
}

describe('mergeSnapshot', () => {
  const first = merge({ agents: [agent('x', 'a.yaml'), agent('y', 'b.yaml', ['jira'])], toolkits: [toolkit('jira')] }).snapshot;

  it('keeps the last good agent of a file that now has errors, and says so', () => {
    const { snapshot, kept } = merge({ agents: [agent('x', 'a.yaml')], toolkits: [toolkit('jira')], errors: [error('/srv/agents/b.yaml')] }, first);
    expect(snapshot.agents.get('y')).toBe(first.agents.get('y'));
    expect(kept.agents).toEqual(['y']);
    expect(snapshot.errors).toEqual([error('/srv/agents/b.yaml')]);
    expect(snapshot.version).toBe(2);
  });

  it('drops the agent of a deleted file and serves a renamed agent under its new name only', () => {
    const { snapshot } = merge({ agents: [agent('z', 'a.yaml')], toolkits: [toolkit('jira')] }, first);
    expect([...snapshot.agents.keys()]).toEqual(['z']);
  });

  it('lets a new valid file win over a kept old version with the same name', () => {
    const { snapshot, kept } = merge({ agents: [agent('x', '0.yaml')], toolkits: [toolkit('jira')], errors: [error('/srv/agents/a.yaml')] }, first);
    expect(snapshot.agents.get('x')!.file).toBe('/srv/agents/0.yaml');
    expect(kept.agents).toEqual([]);
  });

  it('keeps the last good toolkit of a folder with errors in any of its files, and drops a deleted one', () => {
    const broken = merge({ agents: first.agents.size ? [...first.agents.values()] : [], errors: [error('/srv/toolkits/jira/toolkit.yaml')] }, first);
    expect(broken.snapshot.toolkits.get('jira')).toBe(first.toolkits.get('jira'));
    expect(broken.kept.toolkits).toEqual(['jira']);
    const deleted = merge({ agents: [agent('x', 'a.yaml')] }, first);
    expect(deleted.snapshot.toolkits.size).toBe(0);
  });

  it('keeps the last good plugin when the new index.ts fails to import', () => {
    const { snapshot } = merge({ agents: [...first.agents.values()], toolkits: [toolkit('jira')] }, first, [error('/srv/toolkits/jira/index.ts')]);
    expect(snapshot.toolkits.get('jira')).toBe(first.toolkits.get('jira'));
    expect(snapshot.agents.has('y')).toBe(true);
  });

  it('leaves out an agent whose toolkit is not served, with an error on its file', () => {
    const { snapshot } = merge({ agents: [agent('y', 'b.yaml', ['jira'])], toolkits: [toolkit('jira')] }, undefined, [error('/srv/toolkits/jira/index.ts')]);
    expect(snapshot.agents.has('y')).toBe(false);
    expect(snapshot.errors).toContainEqual({ file: '/srv/agents/b.yaml', line: 1, col: 1, message: "agent 'y' is not served: toolkit 'jira' could not be loaded (see its errors)" });
  });

  it('hands out read-only snapshots', () => {
    expect(() => (first.toolkits as Map<string, unknown>).set('other', {})).toThrow(TypeError);
    expect(() => (first.agents as Map<string, unknown>).clear()).toThrow(TypeError);
    expect(Object.isFrozen(first.errors)).toBe(true);
    expect(first.agents.size).toBe(2);
  });
});
