import { createLogger, type Logger } from '../logger.ts';
import { createGeminiClient } from '../model/gemini-client.ts';
import { createRegistry } from '../registry/create-registry.ts';
import { AgentCache } from '../run/agent-cache.ts';
import { createRunTurn, type RunDependencies } from '../run/create-run-turn.ts';
import { findToolkitProblems } from '../run/toolkit-problems.ts';
import { createServer } from '../server/create-server.ts';
import { addOAuthCallbackRoute } from '../server/routes/oauth-callback.ts';
import { createFileStore } from '../store/file-store.ts';
import { deriveKey, resolveSecretKey } from '../store/secret-key.ts';
import type { ServeSettings } from './settings.ts';

export interface RunningApp {
  url: string;
  /** Stops accepting requests, lets streams finish (up to `graceMs`), flushes storage. */
  close(graceMs?: number): Promise<void>;
}

/** What tests (and embedders) may tune beyond the serve settings. */
export interface StartOptions {
  /** Idle time after which a stream gets a `: keepalive` comment (default 15 s). */
  heartbeatMs?: number;
}

/** Wires the rooms together: registry -> store -> model -> run -> server, and listens. */
export async function startApp(settings: ServeSettings, logger: Logger = createLogger(), options: StartOptions = {}): Promise<RunningApp> {
  const registry = await createRegistry({ agentsDir: settings.agentsDir, toolkitsDir: settings.toolkitsDir, watch: settings.watch, logger });
  const masterKey = await resolveSecretKey({ dataDir: settings.dataDir, secretKey: settings.secretKey, logger });
  const store = await createFileStore({ dataDir: settings.dataDir, secretKey: masterKey.toString('hex'), logger, cacheBytes: settings.cacheBytes });
  const cache = new AgentCache();
  registry.onChange(() => cache.clear());
  const model = createGeminiClient(settings.gemini);
  const oauth = { stateKey: deriveKey(masterKey, 'oauth-state'), publicUrl: settings.publicUrl ?? '' };
  const deps: RunDependencies = { model, store, env: settings.env, logger, cache, oauth, toolTimeoutMs: settings.toolTimeoutMs };
  const server = createServer({
    registry,
    runTurn: createRunTurn(deps),
    apiKey: settings.apiKey,
    allowAnyHost: settings.allowNoAuth,
    logger,
    bodyLimitBytes: settings.bodyLimitBytes,
    maxConnections: settings.maxConnections,
    ...(options.heartbeatMs === undefined ? {} : { heartbeatMs: options.heartbeatMs }),
    sourceDirs: { agentsDir: settings.agentsDir, toolkitsDir: settings.toolkitsDir },
    findSetupProblems: (snapshot) => findToolkitProblems(snapshot, deps),
    extraRoutes: (router) => addOAuthCallbackRoute(router, { deps, registry }),
  });
  const listening = await server.listen(settings.port, settings.host);
  oauth.publicUrl ||= listening.url.replace('://0.0.0.0:', '://localhost:');
  logStartup(logger, settings, registry.current(), listening.url);
  for (const problem of findToolkitProblems(registry.current(), deps)) logger.warn({ event: 'toolkit_unavailable', reason: problem }, 'users cannot connect a toolkit on this server');
  return {
    url: listening.url,
    async close(graceMs = 10_000) {
      await listening.close(graceMs, (cut) => {
        const message = `shutdown grace of ${graceMs} ms ran out: cut ${cut.cutStreams} open stream(s) (each sent a server_shutting_down error event) and ${cut.cutRequests} other request(s)`;
        logger.warn({ event: 'shutdown_cut', graceMs, ...cut }, message);
      });
      await registry.close();
      await store.flush();
    },
  };
}

function logStartup(logger: Logger, settings: ServeSettings, snapshot: ReturnType<Awaited<ReturnType<typeof createRegistry>>['current']>, url: string): void {
  logger.info(
    { event: 'started', url, agents: [...snapshot.agents.keys()], toolkits: [...snapshot.toolkits.keys()], errors: snapshot.errors.length, watch: settings.watch, dataDir: settings.dataDir },
    `AgentLLM serving ${snapshot.agents.size} agent(s) on ${url}`,
  );
  if (!settings.apiKey) {
    logger.warn({ event: 'no_api_key', host: settings.host }, 'AGENTLLM_API_KEY is not set: the API is open to anyone who can reach it. Set AGENTLLM_API_KEY before exposing the server beyond this machine.');
  }
  if (!settings.env.GEMINI_API_KEY && !settings.env.GOOGLE_API_KEY) {
    logger.warn({ event: 'no_gemini_key' }, 'GEMINI_API_KEY is not set: models are listed, but chat requests will answer 503 until it is.');
  }
}
