import { AgentLLMError } from '../../errors.ts';
import type { AppMiddleware } from '../state.ts';

/** After routing: a path no route knows -> 404, a known path with the wrong method -> 405. */
export function createFallback(): AppMiddleware {
  return async (ctx, next) => {
    await next();
    if (ctx.respond === false || ctx.body !== undefined && ctx.body !== null) return;
    if (ctx.status === 405) {
      const allowed = ctx.response.get('Allow');
      throw new AgentLLMError(`Method ${ctx.method} is not allowed on ${ctx.path}. Allowed: ${allowed}`, {
        status: 405,
        code: 'method_not_allowed',
      });
    }
    if (ctx.status === 404) {
      throw new AgentLLMError(`Unknown route: ${ctx.method} ${ctx.path}`, { status: 404, code: 'unknown_route' });
    }
  };
}
