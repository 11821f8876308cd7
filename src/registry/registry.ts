import type { LoadedAgent, LoadedToolkit, SourceError } from '../config/definitions.ts';
import type { ToolkitPlugin } from '../toolkit/plugin.ts';

/** A toolkit with its plugin code imported. */
export interface ActiveToolkit extends LoadedToolkit {
  plugin: ToolkitPlugin;
}

/**
 * One consistent set of definitions. A request takes the snapshot current when it starts and
 * keeps it to the end; a reload builds a new snapshot and swaps it in atomically.
 */
export interface RegistrySnapshot {
  version: number;
  loadedAt: Date;
  agents: ReadonlyMap<string, LoadedAgent>;
  toolkits: ReadonlyMap<string, ActiveToolkit>;
  /** Errors of the last load attempt (files whose last good version, if any, keeps serving). */
  errors: readonly SourceError[];
}

export interface Registry {
  current(): RegistrySnapshot;
  /** Called after every swap. Returns an unsubscribe function. */
  onChange(listener: (snapshot: RegistrySnapshot) => void): () => void;
  close(): Promise<void>;
}
