import Koa from 'koa';
import { Router } from '@koa/router';
import type { Logger } from '../logger.ts';
import type { Registry } from '../registry/registry.ts';
import type { RunTurn } from '../run/turn.ts';
import { createAuth } from './auth.ts';
import { createErrorMiddleware } from './error-middleware.ts';
import { createLocalOriginGuard } from './local-origin-guard.ts';
import { listenApp, type RunningServer } from './listen.ts';
import { DEFAULT_BODY_LIMIT_BYTES } from './read-json-body.ts';
import { createRequestLog } from './request-log.ts';
import { createChatCompletions, initChatLog } from './routes/chat-completions.ts';
import { createGetReady, getHealth, type FindSetupProblems, type SourceDirs } from './routes/health.ts';
import { createGetModel, createListModels } from './routes/models.ts';
import type { AppMiddleware, RequestState } from './state.ts';

export interface ServerOptions {
  registry: Registry;
  runTurn: RunTurn;
  /**
   * When set, every route but /health* requires `Authorization: Bearer <apiKey>`. When not,
   * requests must name a loopback Host and carry no foreign Origin (403).
   */
  apiKey?: string;
  /** Without apiKey: accept any Host (the operator serves an open API on a public address on purpose). Origin is still checked. */
  allowAnyHost?: boolean;
  logger: Logger;
  /** Largest accepted request body (default 1 MiB). */
  bodyLimitBytes?: number;
  /** Open connections at once (default 1024); more are closed as they come. */
  maxConnections?: number;
  /** Idle time after which a stream gets a `: keepalive` comment (default 15 s). */
  heartbeatMs?: number;
  /** The definition folders, so that /health/ready names files relative to them (default: as the registry names them). */
  sourceDirs?: SourceDirs;
  /** Toolkits users cannot connect on this server and why, for /health/ready (default: none). */
  findSetupProblems?: FindSetupProblems;
  /** Adds routes (e.g. OAuth callbacks); they get no auth unless they add it. */
  extraRoutes?: (router: Router<RequestState>) => void;
}

export interface AgentLLMServer {
  app: Koa<RequestState>;
  listen(port: number, host: string): Promise<RunningServer>;
}

const DEFAULT_HEARTBEAT_MS = 15_000;

/** The OpenAI-compatible HTTP API over a registry of agents and a RunTurn. */
export function createServer(options: ServerOptions): AgentLLMServer {
  checkOptions(options);
  const app = new Koa<RequestState>();
  const router = createRouter(options);
  app.use(createRequestLog(options.logger));
  app.use(createErrorMiddleware(options.logger));
  if (!options.apiKey) app.use(createLocalOriginGuard({ checkHost: options.allowAnyHost !== true }));
  app.use(router.allowedMethods());
  app.use(router.routes());
  app.on('error', (error: unknown) => options.logger.error({ err: error }, 'unhandled server error'));
  return { app, listen: (port, host) => listenApp(app, port, host, options.logger, options.maxConnections) };
}

function createRouter(options: ServerOptions): Router<RequestState> {
  const router = new Router<RequestState>();
  const guard: AppMiddleware[] = options.apiKey ? [createAuth(options.apiKey)] : [];
  const chat = createChatCompletions({
    registry: options.registry,
    runTurn: options.runTurn,
    logger: options.logger,
    bodyLimitBytes: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    heartbeatMs: options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
  });
  const route = (handler: AppMiddleware): AppMiddleware[] => [...guard, handler];
  router.get('/health', getHealth);
  router.get('/health/ready', createGetReady(options.registry, options.sourceDirs, { apiKey: options.apiKey, findSetupProblems: options.findSetupProblems }));
  router.get(['/v1/models', '/models'], ...route(createListModels(options.registry)));
  router.get(['/v1/models/:id', '/models/:id'], ...route(createGetModel(options.registry)));
  router.post(['/v1/chat/completions', '/chat/completions'], initChatLog, ...route(chat));
  options.extraRoutes?.(router);
  return router;
}

function checkOptions(options: ServerOptions): void {
  if (!options.registry || typeof options.registry.current !== 'function') throw new TypeError('createServer: options.registry must be a Registry');
  if (typeof options.runTurn !== 'function') throw new TypeError('createServer: options.runTurn must be a function');
  if (!options.logger) throw new TypeError('createServer: options.logger is required');
  for (const key of ['bodyLimitBytes', 'heartbeatMs', 'maxConnections'] as const) {
    const value = options[key];
    if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
      throw new TypeError(`createServer: options.${key} must be a positive number, got ${value}`);
    }
  }
}
