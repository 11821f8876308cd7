import type { Logger } from '../logger.ts';
import { relativeToFolders, type SourceFolders } from './describe-source-error.ts';
import type { MergeResult } from './merge-snapshot.ts';
import type { RegistrySnapshot } from './registry.ts';

/**
 * Logs what a load produced: a summary at info, each error as `file:line:col: message` at warn,
 * the file named from its folder as /health/ready names it (`agents/bad.yaml`).
 */
export function logSnapshot(logger: Logger, result: MergeResult, previous: RegistrySnapshot | undefined, folders: SourceFolders): void {
  const { snapshot, kept } = result;
  const summary = {
    version: snapshot.version,
    agents: [...snapshot.agents.keys()],
    toolkits: [...snapshot.toolkits.keys()],
    errors: snapshot.errors.length,
    ...(previous ? changes(previous, snapshot) : {}),
  };
  const verb = previous ? 'reloaded' : 'loaded';
  logger.info(summary, `registry ${verb}: ${summary.agents.length} agents, ${summary.toolkits.length} toolkits, ${summary.errors} errors`);
  for (const error of snapshot.errors) {
    const shown = relativeToFolders(error, folders);
    logger.warn(`${shown.file}:${shown.line}:${shown.col}: ${shown.message}`);
  }
  for (const name of kept.agents) logger.warn(`agent '${name}': its file has errors; the last good version keeps serving`);
  for (const name of kept.toolkits) logger.warn(`toolkit '${name}': its folder has errors; the last good version keeps serving`);
}

function changes(previous: RegistrySnapshot, next: RegistrySnapshot): { added: string[]; removed: string[] } {
  const added = [...next.agents.keys()].filter((name) => !previous.agents.has(name));
  const removed = [...previous.agents.keys()].filter((name) => !next.agents.has(name));
  return { added, removed };
}
