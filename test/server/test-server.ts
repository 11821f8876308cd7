import Handlebars from 'handlebars';
import { Writable } from 'node:stream';
import type { AgentDefinition, LoadedAgent, SourceError } from '../../src/config/definitions.ts';
import { createLogger } from '../../src/logger.ts';
import type { Registry, RegistrySnapshot } from '../../src/registry/registry.ts';
import type { RunTurn, TurnEvent, TurnRequest } from '../../src/run/turn.ts';
import { createServer, type ServerOptions } from '../../src/server/create-server.ts';

/**
 * A server over an in-test registry and a scripted RunTurn (a double of our own run/ contract,
 * not of a client library). Every request the server hands to run/ is recorded.
 */

export function makeAgent(name: string, description = `The ${name} agent.`): LoadedAgent {
  const definition: AgentDefinition = { name, description, instructions: 'You are {{agent.name}}.' };
  return {
    name,
    description,
    file: `/agents/${name}.yaml`,
    definition,
    model: { provider: 'gemini', id: 'gemini-2.5-flash' },
    instructions: Handlebars.compile('You are {{agent.name}}.'),
    toolkits: [],
    historyRuns: 10,
    maxSteps: 8,
  };
}

export function makeRegistry(agents: LoadedAgent[], errors: SourceError[] = []): Registry {
  const snapshot: RegistrySnapshot = {
    version: 1,
    loadedAt: new Date('2025-01-02T03:04:05Z'),
    agents: new Map(agents.map((agent) => [agent.name, agent])),
    toolkits: new Map(),
    errors,
  };
  return { current: () => snapshot, onChange: () => () => {}, close: async () => {} };
}

export type Script = (request: TurnRequest) => AsyncIterable<TurnEvent>;

export const USAGE = { promptTokens: 11, completionTokens: 3, totalTokens: 14 };

/** A turn that answers `Hello world` in two text events. */
export async function* helloScript(request: TurnRequest): AsyncIterable<TurnEvent> {
  yield { type: 'text', text: 'Hello ' };
  yield { type: 'text', text: 'world' };
  Object.assign(request.meter.usage, USAGE);
  yield { type: 'done', finishReason: 'stop', usage: USAGE };
}

export interface TestServer {
  url: string;
  requests: TurnRequest[];
  logLines: Array<Record<string, unknown>>;
  /** Replaces what the next turns yield. */
  setScript(script: Script): void;
  close(): Promise<void>;
}

export async function startTestServer(options: Partial<ServerOptions> = {}): Promise<TestServer> {
  const requests: TurnRequest[] = [];
  const logLines: Array<Record<string, unknown>> = [];
  let script: Script = helloScript;
  const runTurn: RunTurn = (request) => {
    requests.push(request);
    return script(request);
  };
  const server = createServer({
    registry: makeRegistry([makeAgent('helper'), makeAgent('writer')]),
    runTurn,
    logger: createLogger({ level: 'info', destination: collectLines(logLines) }),
    ...options,
  });
  const running = await server.listen(0, '127.0.0.1');
  return { url: running.url, requests, logLines, setScript: (next) => (script = next), close: running.close };
}

export function collectLines(lines: Array<Record<string, unknown>>): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      callback();
    },
  });
}

export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
