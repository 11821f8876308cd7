import { basename, join, resolve } from 'node:path';
import type { SourceError } from '../../config/definitions.ts';
import { displayPath } from '../../config/load-definitions.ts';
import type { Registry } from '../../registry/registry.ts';
import type { AppContext } from '../state.ts';

/** The definition folders; /health/ready names files inside them relative to them. */
export interface SourceDirs {
  agentsDir: string;
  toolkitsDir: string;
}

/** GET /health: the process is up. */
export function getHealth(ctx: AppContext): void {
  ctx.body = { status: 'ok' };
}

/**
 * GET /health/ready: 200 when at least one agent is loaded, else 503; lists load errors either way.
 * It needs no key, so it shows no absolute path: files are named from their folder
 * (`agents/bad.yaml`), and the folders' paths inside messages are shortened the same way.
 */
export function createGetReady(registry: Registry, dirs?: SourceDirs): (ctx: AppContext) => void {
  const folders = dirs ? [dirs.agentsDir, dirs.toolkitsDir].map((dir) => resolve(dir)) : [];
  return (ctx) => {
    const snapshot = registry.current();
    const errors = snapshot.errors.map((error) => describeError(error, folders));
    const ready = snapshot.agents.size > 0;
    ctx.status = ready ? 200 : 503;
    ctx.body = {
      status: ready ? 'ready' : 'not_ready',
      agents: snapshot.agents.size,
      toolkits: snapshot.toolkits.size,
      errors,
    };
  };
}

function describeError(error: SourceError, folders: string[]): string {
  const message = folders.reduce((text, folder) => text.replaceAll(folder, basename(folder)), error.message);
  return `${folderPath(error.file, folders)}:${error.line}:${error.col} ${message}`;
}

/** `<folder name>/<path inside it>`; a file outside every folder by its name only. */
function folderPath(file: string, folders: string[]): string {
  const absolute = resolve(file);
  for (const folder of folders) {
    const inside = displayPath(absolute, folder);
    if (inside !== absolute) return join(basename(folder), inside);
  }
  return folders.length > 0 ? basename(file) : file;
}
