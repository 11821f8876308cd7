import { watch, type FSWatcher } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Logger } from '../logger.ts';

export interface SourceWatcherOptions {
  agentsDir: string;
  toolkitsDir: string;
  /** Called on every relevant file-system event (the caller debounces). */
  onEvent(): void;
  logger: Logger;
}

export interface SourceWatcher {
  /** (Re-)creates the watchers for the directories as they are now: call before each load. */
  arm(): Promise<void>;
  close(): void;
}

/** Which names in a watched directory matter; `null` (platform gave no name) always does. */
type NameFilter = (name: string) => boolean;

const AGENT_FILE = /\.ya?ml$/;

/**
 * Watches agentsDir (*.yaml), toolkitsDir and each toolkit folder, plus the parents of both dirs
 * (so a replaced or newly created directory is noticed). Non-recursive fs.watch on purpose: Node
 * 20's recursive mode on Linux misses folders that are replaced. Every arm() closes and re-opens
 * all watchers, so folders added, removed or swapped since the last load are watched afresh;
 * arming before loading means no change falls between the load and the watch.
 */
export function createSourceWatcher(options: SourceWatcherOptions): SourceWatcher {
  let watchers: FSWatcher[] = [];
  let closed = false;
  const closeAll = (): void => {
    for (const watcher of watchers) watcher.close();
    watchers = [];
  };
  return {
    async arm() {
      const targets = await listTargets(options.agentsDir, options.toolkitsDir);
      closeAll();
      if (closed) return;
      for (const [dir, filters] of targets) {
        const watcher = openWatcher(dir, filters, options);
        if (watcher) watchers.push(watcher);
      }
    },
    close() {
      closed = true;
      closeAll();
    },
  };
}

async function listTargets(agentsDir: string, toolkitsDir: string): Promise<Map<string, NameFilter[]>> {
  const targets = new Map<string, NameFilter[]>();
  const add = (dir: string, filter: NameFilter): void => {
    targets.set(dir, [...(targets.get(dir) ?? []), filter]);
  };
  const agents = resolve(agentsDir);
  const toolkits = resolve(toolkitsDir);
  add(dirname(agents), (name) => name === basename(agents));
  add(dirname(toolkits), (name) => name === basename(toolkits));
  add(agents, (name) => AGENT_FILE.test(name));
  add(toolkits, () => true);
  for (const folder of await listFolders(toolkits)) add(folder, (name) => !isEditorNoise(name));
  return targets;
}

async function listFolders(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isDirectory()).map((entry) => join(dir, entry.name));
}

function openWatcher(dir: string, filters: NameFilter[], options: SourceWatcherOptions): FSWatcher | undefined {
  try {
    const watcher = watch(dir, { persistent: false }, (_event, name) => {
      if (name === null || filters.some((filter) => filter(String(name)))) options.onEvent();
    });
    watcher.on('error', (error) => {
      options.logger.debug({ dir, err: error }, 'registry watcher error; reloading');
      watcher.close();
      options.onEvent();
    });
    return watcher;
  } catch {
    return undefined; // the directory does not exist (yet): its parent's watcher reports its creation
  }
}

/** Swap, backup and probe files that editors write next to the real one. */
function isEditorNoise(name: string): boolean {
  return name.endsWith('~') || /\.sw[a-p]$/.test(name) || name.startsWith('.#') || name === '4913';
}
