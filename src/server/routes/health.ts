import type { Registry } from '../../registry/registry.ts';
import type { AppContext } from '../state.ts';

/** GET /health: the process is up. */
export function getHealth(ctx: AppContext): void {
  ctx.body = { status: 'ok' };
}

/** GET /health/ready: 200 when at least one agent is loaded, else 503; lists load errors either way. */
export function createGetReady(registry: Registry): (ctx: AppContext) => void {
  return (ctx) => {
    const snapshot = registry.current();
    const errors = snapshot.errors.map((error) => `${error.file}:${error.line}:${error.col} ${error.message}`);
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
