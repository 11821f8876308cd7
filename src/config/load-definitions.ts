import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { Definitions, LoadedAgent, LoadedToolkit, LoadOptions, SourceError } from './definitions.ts';
import { loadAgent } from './load-agent.ts';
import type { ToolkitCatalog } from './load-agent.ts';
import { loadToolkit } from './load-toolkit.ts';
import { readDefinitionFile, type DefinitionRead } from './read-definition-file.ts';
import { positionAt } from './source-document.ts';

/** Definitions plus how many files were checked (for `agentllm validate`'s summary). */
export interface LoadReport extends Definitions {
  checked: { agents: number; toolkits: number };
  /** Directories given as paths that held neither agent files nor toolkits (displayed form). */
  emptyDirs?: string[];
}

/** What to load: agent files and toolkit folders (each holding a toolkit.yaml). Absolute or cwd-relative. */
export interface LoadSources {
  agentFiles: string[];
  toolkitDirs: string[];
}

const READ_CONCURRENCY = 64;
const AGENT_FILE = /\.ya?ml$/;

/**
 * Reads toolkits/*\/toolkit.yaml and agents/*.y(a)ml, validates them and returns every loaded agent and
 * toolkit plus ALL errors of ALL files (file:line:col). A missing directory counts as empty.
 */
export async function loadDefinitions(options: LoadOptions): Promise<LoadReport> {
  const [agentFiles, toolkitDirs] = await Promise.all([listAgentFiles(options.agentsDir), listToolkitDirs(options.toolkitsDir)]);
  return loadSources({ agentFiles, toolkitDirs });
}

/**
 * Loads from command-line paths: a directory is a toolkits dir when it holds * /toolkit.yaml (or a
 * toolkit folder when it holds toolkit.yaml), else an agents dir; a file is an agent file (or a
 * toolkit.yaml). Toolkits default to ./toolkits when no toolkit path is given.
 */
export async function loadDefinitionsFromPaths(paths: string[]): Promise<LoadReport> {
  const sources: LoadSources = { agentFiles: [], toolkitDirs: [] };
  const errors: SourceError[] = [];
  const emptyDirs: string[] = [];
  for (const path of paths) await classifyPath(path, sources, errors, emptyDirs);
  if (sources.toolkitDirs.length === 0) sources.toolkitDirs = await listToolkitDirs('toolkits');
  const report = await loadSources(sources);
  return { ...report, errors: sortErrors([...errors, ...report.errors]), emptyDirs };
}

/** Loads explicit files: toolkits first (agents refer to them), then agents, in sorted order. */
export async function loadSources(input: LoadSources): Promise<LoadReport> {
  const toolkitDirs = unique(input.toolkitDirs.map((d) => resolve(d))).sort();
  const agentPaths = unique(input.agentFiles.map((f) => resolve(f))).sort();
  // A toolkit.yaml is read within the toolkits folder (its folder's parent), an agent file within its own folder.
  const [toolkitReads, agentReads] = await Promise.all([
    mapLimit(toolkitDirs, (dir) => readDefinitionFile(join(dir, 'toolkit.yaml'), dirname(dir))),
    mapLimit(agentPaths, (path) => readDefinitionFile(path, dirname(path))),
  ]);
  const errors: SourceError[] = [];
  const catalog = { loaded: new Map<string, LoadedToolkit>(), broken: new Map<string, string>() };
  const toolkitResults = await Promise.all(
    toolkitDirs.map((dir, i) => loadToolkitRead(dir, toolkitReads[i]!)),
  );
  for (const [i, result] of toolkitResults.entries()) {
    errors.push(...result.errors);
    if (result.toolkit) catalog.loaded.set(result.name, result.toolkit);
    else catalog.broken.set(result.name, displayPath(join(toolkitDirs[i]!, 'toolkit.yaml')));
  }
  const agents = loadAgents(agentPaths, agentReads, catalog, errors);
  const toolkits = [...catalog.loaded.values()];
  return { agents, toolkits, errors: sortErrors(errors), checked: { agents: agentPaths.length, toolkits: toolkitDirs.length } };
}

/** A toolkit whose manifest could not be read is broken, with the reason as its error. */
async function loadToolkitRead(dir: string, read: DefinitionRead): Promise<Awaited<ReturnType<typeof loadToolkit>>> {
  const path = join(dir, 'toolkit.yaml');
  const file = displayPath(path);
  if ('problem' in read) return { name: basename(dir), errors: [{ file, line: 1, col: 1, message: read.problem }] };
  return loadToolkit({ dir, path, file, text: read.text });
}

function loadAgents(paths: string[], reads: DefinitionRead[], catalog: ToolkitCatalog, errors: SourceError[]): LoadedAgent[] {
  const agents: LoadedAgent[] = [];
  const firstFile = new Map<string, string>();
  for (const [i, path] of paths.entries()) {
    const file = displayPath(path);
    const read = reads[i]!;
    if ('problem' in read) {
      errors.push({ file, line: 1, col: 1, message: read.problem });
      continue;
    }
    const result = loadAgent({ path, file, text: read.text }, catalog);
    errors.push(...result.errors);
    const earlier = result.name === undefined ? undefined : firstFile.get(result.name);
    if (earlier && result.source) {
      // Named from this file's folder (`a.yaml` beside it), never by absolute path.
      const where = relative(dirname(resolve(path)), earlier);
      errors.push({ file, ...positionAt(result.source, ['name']), message: `duplicate agent name '${result.name}': already defined in ${where}` });
      continue;
    }
    if (result.name !== undefined) firstFile.set(result.name, resolve(path));
    if (result.agent) agents.push(result.agent);
  }
  return agents;
}

async function classifyPath(path: string, sources: LoadSources, errors: SourceError[], emptyDirs: string[]): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (!info) {
    errors.push({ file: displayPath(resolve(path)), line: 1, col: 1, message: 'no such file or directory' });
  } else if (info.isFile()) {
    if (basename(path) === 'toolkit.yaml') sources.toolkitDirs.push(dirname(path));
    else sources.agentFiles.push(path);
  } else if (await exists(join(path, 'toolkit.yaml'))) {
    sources.toolkitDirs.push(path);
  } else {
    const toolkitDirs = await listToolkitDirs(path);
    const agentFiles = toolkitDirs.length > 0 ? [] : await listAgentFiles(path);
    if (toolkitDirs.length > 0) sources.toolkitDirs.push(...toolkitDirs);
    else if (agentFiles.length > 0) sources.agentFiles.push(...agentFiles);
    else emptyDirs.push(displayPath(resolve(path)));
  }
}

/** The agent files (*.yaml, *.yml) of a directory, sorted; none when it does not exist. */
export async function listAgentFiles(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.filter((name) => AGENT_FILE.test(name)).sort().map((name) => join(dir, name));
}

async function listToolkitDirs(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const dirs = entries.filter((e) => e.isDirectory()).map((e) => join(dir, e.name)).sort();
  const present = await Promise.all(dirs.map((d) => exists(join(d, 'toolkit.yaml'))));
  return dirs.filter((_, i) => present[i]);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

/** The path as the user would type it: relative to `base` (the working directory) when inside it. */
export function displayPath(path: string, base = process.cwd()): string {
  const rel = relative(base, path);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

async function mapLimit<T, R>(items: T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, items.length) }, worker));
  return results;
}

/** Errors by file, then line, then column. */
export function sortErrors(errors: SourceError[]): SourceError[] {
  return [...errors].sort((a, b) => compareText(a.file, b.file) || a.line - b.line || a.col - b.col);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}
