import { loadDefinitions } from '../config/load-definitions.ts';
import type { Logger } from '../logger.ts';
import type { ToolkitPlugin } from '../toolkit/plugin.ts';
import { importPluginModule, importPlugins, type PluginCache, type PluginImporter } from './import-plugins.ts';
import { logSnapshot } from './log-snapshot.ts';
import { mergeSnapshot } from './merge-snapshot.ts';
import type { Registry, RegistrySnapshot } from './registry.ts';
import { createReloadScheduler, type ReloadScheduler } from './reload-scheduler.ts';
import { createSourceWatcher, type SourceWatcher } from './source-watcher.ts';

export interface RegistryOptions {
  agentsDir: string;
  toolkitsDir: string;
  /** Reload when files under agentsDir or toolkitsDir change. */
  watch: boolean;
  logger: Logger;
  /** Quiet time after the last change before reloading (default 50 ms). */
  debounceMs?: number;
  /** Imports a toolkit's index file (default: ESM import with a cache-busting query). */
  importPlugin?: (entry: string) => Promise<ToolkitPlugin>;
}

const DEFAULT_DEBOUNCE_MS = 50;

/**
 * Loads agents and toolkits (importing each toolkit's plugin) and, with `watch`, reloads them when
 * their files change. Each reload builds a new immutable snapshot and swaps it in atomically;
 * a file with errors keeps serving its last good version.
 */
export async function createRegistry(options: RegistryOptions): Promise<Registry> {
  assertOptions(options);
  const debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  const loader = createLoader(options);
  const listeners = new Set<(snapshot: RegistrySnapshot) => void>();
  let closed = false;
  let watcher: SourceWatcher | undefined;
  let scheduler: ReloadScheduler | undefined;
  if (options.watch) {
    scheduler = createReloadScheduler({ delayMs: debounceMs, maxDelayMs: debounceMs * 5, reload: () => reload() });
    watcher = createSourceWatcher({ ...options, onEvent: () => scheduler?.schedule() });
    await watcher.arm();
  }
  let snapshot: RegistrySnapshot;
  const initialLoad = loader.load(undefined).then((first) => (snapshot = first));
  try {
    await initialLoad;
  } catch (error) {
    watcher?.close();
    await scheduler?.close();
    throw error;
  }

  async function reload(): Promise<void> {
    try {
      await initialLoad; // events may arrive while the first load still runs
      await watcher?.arm();
      const next = await loader.load(snapshot);
      if (closed) return;
      snapshot = next;
      notify(next);
    } catch (error) {
      options.logger.error({ err: error }, 'registry reload failed; the last loaded agents and toolkits keep serving');
    }
  }

  function notify(next: RegistrySnapshot): void {
    for (const listener of listeners) {
      try {
        listener(next);
      } catch (error) {
        options.logger.error({ err: error }, 'registry onChange listener failed');
      }
    }
  }

  return {
    current: () => snapshot,
    onChange(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    async close() {
      closed = true;
      watcher?.close();
      await scheduler?.close();
      listeners.clear();
    },
  };
}

/** One load: definitions from disk, plugins imported (cached while unchanged), merged over the previous snapshot. */
function createLoader(options: RegistryOptions): { load(previous: RegistrySnapshot | undefined): Promise<RegistrySnapshot> } {
  const cache: PluginCache = new Map();
  const importer: PluginImporter = options.importPlugin ?? importPluginModule;
  return {
    async load(previous) {
      const definitions = await loadDefinitions({ agentsDir: options.agentsDir, toolkitsDir: options.toolkitsDir });
      const imported = await importPlugins(definitions.toolkits, cache, importer);
      const result = mergeSnapshot({
        previous,
        definitions,
        plugins: imported.plugins,
        pluginErrors: imported.errors,
        agentsDir: options.agentsDir,
        toolkitsDir: options.toolkitsDir,
        version: (previous?.version ?? 0) + 1,
        loadedAt: new Date(),
      });
      logSnapshot(options.logger, result, previous, { agentsDir: options.agentsDir, toolkitsDir: options.toolkitsDir });
      return result.snapshot;
    },
  };
}

function assertOptions(options: RegistryOptions): void {
  for (const key of ['agentsDir', 'toolkitsDir'] as const) {
    if (typeof options[key] !== 'string' || options[key] === '') throw new TypeError(`createRegistry: options.${key} must be a non-empty path`);
  }
  if (options.debounceMs !== undefined && !(options.debounceMs >= 0)) throw new TypeError('createRegistry: options.debounceMs must be >= 0');
}
