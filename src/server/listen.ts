import { createServer as createHttpServer, type Server, type ServerResponse } from 'node:http';
import { AgentLLMError } from '../errors.ts';
import { formatSSEData } from '../openai/sse.ts';
import { toErrorBody } from '../openai/to-error-body.ts';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';
import type { Logger } from '../logger.ts';
import { answerClientError } from './client-error.ts';

export interface RunningServer {
  /** e.g. http://127.0.0.1:8080 (the real port when 0 was asked for). */
  url: string;
  /**
   * Stops accepting, lets running requests finish for up to `graceMs` (default 5 s), then closes
   * every connection; an open event stream first gets a `server_shutting_down` error event.
   * `onCut` hears what was cut, when anything was.
   */
  close(graceMs?: number, onCut?: (report: ShutdownReport) => void): Promise<void>;
}

/** What the grace period did not let finish: cut streams (sent an error event) and other requests. */
export interface ShutdownReport {
  cutStreams: number;
  cutRequests: number;
}

const CLOSE_GRACE_MS = 5_000;

/**
 * Open connections at once, by default: above the 500 concurrent streams the benchmark runs, far
 * below what would exhaust memory (each may hold a body of up to AGENTLLM_BODY_LIMIT).
 */
export const DEFAULT_MAX_CONNECTIONS = 1024;

/** Binds the app to host:port, at most `maxConnections` connections at once; requests the HTTP parser refuses get a JSON error and a warning in `logger`. */
export async function listenApp<S>(app: Koa<S>, port: number, host: string, logger: Logger, maxConnections = DEFAULT_MAX_CONNECTIONS): Promise<RunningServer> {
  const server = createHttpServer(app.callback());
  // A flood of connections: those beyond the cap are closed at once (node:http drops them).
  server.maxConnections = maxConnections;
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => answerClientError(logger, error, socket));
  const inFlight = countInFlight(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      // Once listening, an 'error' (EMFILE when a flood exhausts file descriptors, on accept) is logged, never fatal.
      server.on('error', (error) => logger.error({ err: error, event: 'server_error' }, 'server error (the server keeps listening)'));
      resolve();
    });
  });
  return { url: urlOf(server.address() as AddressInfo), close: (graceMs = CLOSE_GRACE_MS, onCut) => closeServer(server, inFlight, graceMs, onCut) };
}

function urlOf(address: AddressInfo): string {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

interface InFlight {
  /** Resolves when no request is running (at once when none is). */
  drained(): Promise<void>;
  /** The responses still running. */
  open(): ServerResponse[];
}

function countInFlight(server: Server): InFlight {
  const running = new Set<ServerResponse>();
  const waiters: Array<() => void> = [];
  server.on('request', (_req, res: ServerResponse) => {
    running.add(res);
    res.once('close', () => {
      running.delete(res);
      if (running.size === 0) waiters.splice(0).forEach((wake) => wake());
    });
  });
  return {
    drained: () => (running.size === 0 ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve))),
    open: () => [...running],
  };
}

/** Connections that carry no request (idle keep-alive, or opened by a client pool ahead of time) are cut at once. */
async function closeServer(server: Server, inFlight: InFlight, graceMs: number, onCut?: (report: ShutdownReport) => void): Promise<void> {
  const closed = new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
  await Promise.race([inFlight.drained(), grace]);
  clearTimeout(timer);
  const report = endCutStreams(inFlight.open());
  if (report.cutStreams + report.cutRequests > 0) onCut?.(report);
  server.closeAllConnections();
  await closed;
}

const SHUTTING_DOWN = toErrorBody(
  new AgentLLMError('The server is shutting down and stopped this answer before it was complete; send the request again.', { status: 503, code: 'server_shutting_down' }),
);

/**
 * The grace period is over: each open event stream gets a last `data: {"error": ...}` event and
 * ends (without [DONE], as any failed stream); the SSE writer skips its later writes to the ended
 * response. Other requests are cut with their connection.
 */
function endCutStreams(open: ServerResponse[]): ShutdownReport {
  let cutStreams = 0;
  for (const res of open) {
    const isStream = res.headersSent && String(res.getHeader('content-type') ?? '').startsWith('text/event-stream');
    if (!isStream || res.writableEnded || res.destroyed) continue;
    res.end(formatSSEData(SHUTTING_DOWN));
    cutStreams += 1;
  }
  return { cutStreams, cutRequests: open.length - cutStreams };
}
