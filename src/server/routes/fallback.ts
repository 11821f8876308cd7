import { AgentLLMError } from '../../errors.ts';
import type { AppContext } from '../state.ts';

/**
 * After routing, a request nothing answered: a path no route knows -> 404, a known path with the
 * wrong method -> 405 (the router set the status and `Allow`). Called by the error middleware, so
 * the error becomes an OpenAI body there, without a middleware layer of its own.
 */
export function throwIfUnanswered(ctx: AppContext): void {
  if (ctx.respond === false || (ctx.body !== undefined && ctx.body !== null)) return;
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
}
