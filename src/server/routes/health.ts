import { relativeToFolders, type SourceFolders } from '../../registry/describe-source-error.ts';
import type { Registry, RegistrySnapshot } from '../../registry/registry.ts';
import { createKeyCheck } from '../auth.ts';
import type { AppContext } from '../state.ts';

/** The definition folders; /health/ready names files inside them relative to them. */
export type SourceDirs = SourceFolders;

/** GET /health: the process is up. */
export function getHealth(ctx: AppContext): void {
  ctx.body = { status: 'ok' };
}

/** What keeps users from connecting a toolkit (e.g. no OAuth client configured), one line each. */
export type FindSetupProblems = (snapshot: RegistrySnapshot) => string[];

export interface ReadyOptions {
  /** The server's API key: only its holder sees the errors and setup problems. */
  apiKey?: string;
  findSetupProblems?: FindSetupProblems;
}

/**
 * GET /health/ready: 200 when at least one agent is loaded, else 503, with the counts. It needs
 * no key, so to anyone it says only that; the load errors (`file:line:col message`) and setup
 * problems (toolkits users cannot connect) are listed to the holder of the API key (to anyone
 * when the server has none: it then listens on loopback). Files are named from their folder
 * (`agents/bad.yaml`), and the folders' paths inside messages are shortened the same way.
 */
export function createGetReady(registry: Registry, dirs?: SourceDirs, options: ReadyOptions = {}): (ctx: AppContext) => void {
  const holdsKey = options.apiKey ? createKeyCheck(options.apiKey) : () => true;
  return (ctx) => {
    const snapshot = registry.current();
    const ready = snapshot.agents.size > 0;
    ctx.status = ready ? 200 : 503;
    const counts = { status: ready ? 'ready' : 'not_ready', agents: snapshot.agents.size, toolkits: snapshot.toolkits.size };
    if (!holdsKey(ctx.get('Authorization'))) {
      ctx.body = { ...counts, error_count: snapshot.errors.length };
      return;
    }
    const errors = snapshot.errors.map((error) => {
      const shown = relativeToFolders(error, dirs);
      return `${shown.file}:${shown.line}:${shown.col} ${shown.message}`;
    });
    ctx.body = { ...counts, errors, setup_problems: options.findSetupProblems?.(snapshot) ?? [] };
  };
}
