import { relativeToFolders, type SourceFolders } from '../../registry/describe-source-error.ts';
import type { Registry, RegistrySnapshot } from '../../registry/registry.ts';
import type { AppContext } from '../state.ts';

/** The definition folders; /health/ready names files inside them relative to them. */
export type SourceDirs = SourceFolders;

/** GET /health: the process is up. */
export function getHealth(ctx: AppContext): void {
  ctx.body = { status: 'ok' };
}

/** What keeps users from connecting a toolkit (e.g. no OAuth client configured), one line each. */
export type FindSetupProblems = (snapshot: RegistrySnapshot) => string[];

/**
 * GET /health/ready: 200 when at least one agent is loaded, else 503; lists load errors and setup
 * problems (toolkits users cannot connect) either way.
 * It needs no key, so it shows no absolute path: files are named from their folder
 * (`agents/bad.yaml`), and the folders' paths inside messages are shortened the same way.
 */
export function createGetReady(registry: Registry, dirs?: SourceDirs, findSetupProblems?: FindSetupProblems): (ctx: AppContext) => void {
  return (ctx) => {
    const snapshot = registry.current();
    const errors = snapshot.errors.map((error) => {
      const shown = relativeToFolders(error, dirs);
      return `${shown.file}:${shown.line}:${shown.col} ${shown.message}`;
    });
    const ready = snapshot.agents.size > 0;
    ctx.status = ready ? 200 : 503;
    ctx.body = {
      status: ready ? 'ready' : 'not_ready',
      agents: snapshot.agents.size,
      toolkits: snapshot.toolkits.size,
      errors,
      setup_problems: findSetupProblems?.(snapshot) ?? [],
    };
  };
}
