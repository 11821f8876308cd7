import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { Definitions, LoadedAgent, SourceError } from '../config/definitions.ts';
import { displayPath } from '../config/load-definitions.ts';
import type { ToolkitPlugin } from '../toolkit/plugin.ts';
import type { ActiveToolkit, RegistrySnapshot } from './registry.ts';

export interface MergeInput {
  /** The snapshot serving now; undefined on the first load. */
  previous: RegistrySnapshot | undefined;
  definitions: Definitions;
  /** Imported plugins by toolkit entry (absolute path); a toolkit without one is not served. */
  plugins: ReadonlyMap<string, ToolkitPlugin>;
  /** Errors of plugin imports (file = the toolkit's index file). */
  pluginErrors: readonly SourceError[];
  agentsDir: string;
  toolkitsDir: string;
  version: number;
  loadedAt: Date;
}

export interface MergeResult {
  snapshot: RegistrySnapshot;
  /** Names whose file has errors now and whose last good version keeps serving. */
  kept: { agents: string[]; toolkits: string[] };
}

/**
 * Builds the next snapshot. A file (agent) or folder (toolkit) with errors keeps its last good
 * version; a deleted one disappears; a valid one replaces what was there. Agents whose toolkits
 * are not served are left out with an error.
 */
export function mergeSnapshot(input: MergeInput): MergeResult {
  const errors = [...input.definitions.errors, ...input.pluginErrors];
  const toolkits = mergeToolkits(input, errors);
  const agents = mergeAgents(input, errors);
  const missing = dropAgentsWithoutToolkits(agents.served, toolkits.served);
  const snapshot: RegistrySnapshot = Object.freeze({
    version: input.version,
    loadedAt: input.loadedAt,
    agents: freezeMap(agents.served),
    toolkits: freezeMap(toolkits.served),
    errors: Object.freeze([...errors, ...missing].map((error) => Object.freeze({ ...error }))),
  });
  return { snapshot, kept: { agents: agents.kept.filter((name) => agents.served.has(name)), toolkits: toolkits.kept } };
}

function mergeToolkits(input: MergeInput, errors: readonly SourceError[]): { served: Map<string, ActiveToolkit>; kept: string[] } {
  const served = new Map<string, ActiveToolkit>();
  const freshDirs = new Set<string>();
  for (const toolkit of input.definitions.toolkits) {
    const plugin = input.plugins.get(toolkit.entry);
    if (!plugin || served.has(toolkit.name)) continue;
    served.set(toolkit.name, Object.freeze({ ...toolkit, plugin }));
    freshDirs.add(resolve(toolkit.dir));
  }
  const bad = badToolkitFolders(errors, input.toolkitsDir);
  const kept: string[] = [];
  for (const toolkit of input.previous?.toolkits.values() ?? []) {
    const dir = resolve(toolkit.dir);
    if (freshDirs.has(dir) || served.has(toolkit.name) || !(bad.all || bad.folders.has(dir))) continue;
    served.set(toolkit.name, toolkit);
    kept.push(toolkit.name);
  }
  return { served, kept };
}

function mergeAgents(input: MergeInput, errors: readonly SourceError[]): { served: Map<string, LoadedAgent>; kept: string[] } {
  const served = new Map<string, LoadedAgent>();
  const freshFiles = new Set<string>();
  for (const agent of input.definitions.agents) {
    if (served.has(agent.name)) continue;
    const loadedAt = input.previous?.agents.get(agent.name)?.loadedAt ?? input.loadedAt;
    served.set(agent.name, Object.freeze({ ...agent, loadedAt }));
    freshFiles.add(resolve(agent.file));
  }
  const badFiles = new Set(errors.map((error) => resolve(error.file)));
  const all = badFiles.has(resolve(input.agentsDir));
  const kept: string[] = [];
  for (const agent of input.previous?.agents.values() ?? []) {
    const file = resolve(agent.file);
    if (freshFiles.has(file) || served.has(agent.name) || !(all || badFiles.has(file))) continue;
    served.set(agent.name, agent);
    kept.push(agent.name);
  }
  return { served, kept };
}

/** Toolkit folders (absolute) that have an error in any of their files; `all` when the toolkits dir itself does. */
function badToolkitFolders(errors: readonly SourceError[], toolkitsDir: string): { all: boolean; folders: Set<string> } {
  const root = resolve(toolkitsDir);
  const folders = new Set<string>();
  let all = false;
  for (const error of errors) {
    const rel = relative(root, resolve(error.file));
    if (rel === '') all = true;
    else if (!rel.startsWith('..') && !isAbsolute(rel)) folders.add(resolve(root, rel.split(sep)[0]!));
  }
  return { all, folders };
}

function dropAgentsWithoutToolkits(agents: Map<string, LoadedAgent>, toolkits: Map<string, ActiveToolkit>): SourceError[] {
  const errors: SourceError[] = [];
  for (const agent of [...agents.values()]) {
    const missing = agent.toolkits.map((use) => use.name).filter((name) => !toolkits.has(name));
    if (missing.length === 0) continue;
    agents.delete(agent.name);
    const names = missing.map((name) => `'${name}'`).join(', ');
    errors.push({ file: displayPath(agent.file), line: 1, col: 1, message: `agent '${agent.name}' is not served: toolkit ${names} could not be loaded (see its errors)` });
  }
  return errors;
}

/** A Map that throws on writes, so a snapshot handed to a request can never change under it. */
function freezeMap<K, V>(map: Map<K, V>): ReadonlyMap<K, V> {
  const refuse = (): never => {
    throw new TypeError('registry snapshots are read-only');
  };
  Object.defineProperties(map, { set: { value: refuse }, delete: { value: refuse }, clear: { value: refuse } });
  return Object.freeze(map);
}
