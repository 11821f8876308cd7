import { AgentLLMError } from '../errors.ts';
import { isLoopbackHostname } from '../net/loopback.ts';
import type { AppMiddleware } from './state.ts';

/**
 * Without an API key the API is only for this machine. A browser page on another site must not
 * drive it: its requests carry that site's `Origin` (refused), and a DNS-rebinding page that reads
 * the answers reaches us under its own host name (`Host` refused). Clients on this machine send
 * `Host: localhost:<port>` or `127.0.0.1:<port>` and no Origin (or a loopback one).
 */
export function createLocalOriginGuard(options: { checkHost: boolean }): AppMiddleware {
  return async (ctx, next) => {
    if (options.checkHost && !isLoopbackHost(ctx.get('Host'))) {
      throw forbidden(`Host '${ctx.get('Host')}' is not a loopback address: without AGENTLLM_API_KEY the API answers only requests to localhost, 127.0.0.1 or [::1].`);
    }
    const origin = ctx.get('Origin');
    if (origin !== '' && !isLoopbackOrigin(origin)) {
      throw forbidden(`Origin '${origin}' is not allowed: without AGENTLLM_API_KEY the API refuses requests from web pages of other sites.`);
    }
    await next();
  };
}

/**
 * A Host header (or URL host) naming this machine, with or without a port and a trailing dot:
 * `localhost`, `*.localhost` (browsers resolve those to loopback themselves, so a DNS-rebinding
 * page cannot carry one), 127.0.0.0/8 and ::1 (bracketed).
 */
export function isLoopbackHost(host: string): boolean {
  const name = hostName(host.trim().toLowerCase());
  return name !== undefined && isLoopbackHostname(name, { localhostSubdomains: true });
}

function hostName(host: string): string | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::\d{1,5})?$/.exec(host);
  return match?.[1]?.replace(/\.$/, '');
}

function isLoopbackOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHost(url.host);
  } catch {
    return false;
  }
}

function forbidden(message: string): AgentLLMError {
  return new AgentLLMError(message, { status: 403, code: 'forbidden_origin' });
}
