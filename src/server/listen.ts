import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';
import type { Logger } from '../logger.ts';
import { answerClientError } from './client-error.ts';

export interface RunningServer {
  /** e.g. http://127.0.0.1:8080 (the real port when 0 was asked for). */
  url: string;
  /** Stops accepting, lets running requests finish for up to `graceMs` (default 5 s), then closes every connection. */
  close(graceMs?: number): Promise<void>;
}

const CLOSE_GRACE_MS = 5_000;

/** Binds the app to host:port; requests the HTTP parser refuses get a JSON error and a warning in `logger`. */
export async function listenApp<S>(app: Koa<S>, port: number, host: string, logger: Logger): Promise<RunningServer> {
  const server = createHttpServer(app.callback());
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => answerClientError(logger, error, socket));
  const inFlight = countInFlight(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return { url: urlOf(server.address() as AddressInfo), close: (graceMs = CLOSE_GRACE_MS) => closeServer(server, inFlight, graceMs) };
}

function urlOf(address: AddressInfo): string {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

interface InFlight {
  /** Resolves when no request is running (at once when none is). */
  drained(): Promise<void>;
}

function countInFlight(server: Server): InFlight {
  let running = 0;
  const waiters: Array<() => void> = [];
  server.on('request', (_req, res) => {
    running += 1;
    res.once('close', () => {
      running -= 1;
      if (running === 0) waiters.splice(0).forEach((wake) => wake());
    });
  });
  return {
    drained: () => (running === 0 ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve))),
  };
}

/** Connections that carry no request (idle keep-alive, or opened by a client pool ahead of time) are cut at once. */
async function closeServer(server: Server, inFlight: InFlight, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
  await Promise.race([inFlight.drained(), grace]);
  clearTimeout(timer);
  server.closeAllConnections();
  await closed;
}
