import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import OpenAI from 'openai';
import { resolveServeSettings } from '../../src/cli/settings.ts';
import { startApp } from '../../src/cli/start-app.ts';
import { createLogger, createSilentLogger } from '../../src/logger.ts';
import type { Env } from '../../src/toolkit/plugin.ts';
import { startFakeGemini, type FakeGemini } from '../fakes/gemini-server.ts';

export interface Stack {
  url: string;
  gemini: FakeGemini;
  client: OpenAI;
  root: string;
  agentsDir: string;
  dataDir: string;
  /** Log lines, when started with `captureLogs`. */
  logs: string[];
  close(): Promise<void>;
}

export interface StackOptions {
  /** Agent files to write, by file name. */
  agents: Record<string, string>;
  env?: Env;
  watch?: boolean;
  apiKey?: string;
  /** Keep every log line (level debug) in `stack.logs`. */
  captureLogs?: boolean;
  /** Idle time before a stream's `: keepalive` comment (default: the server's 15 s). */
  heartbeatMs?: number;
  /** The toolkits folder (default: the shipped toolkits). */
  toolkitsDir?: string;
}

const GEMINI_TEST_KEY = 'test-gemini-key';

/** The whole product in-process (real registry, store, Gemini client, koa server) in front of a fake Gemini. */
export async function startStack(options: StackOptions): Promise<Stack> {
  const geminiKey = options.env && 'GEMINI_API_KEY' in options.env ? options.env.GEMINI_API_KEY : GEMINI_TEST_KEY;
  // Like the real API, the fake rejects a request that does not carry the key the server was given.
  const gemini = await startFakeGemini(geminiKey ? { apiKey: geminiKey } : {});
  const root = await mkdtemp(join(tmpdir(), 'agentllm-e2e-'));
  const agentsDir = join(root, 'agents');
  // The shipped toolkits, in place (they import AgentLLM as 'agentllm/toolkit', the package's own name).
  const toolkitsDir = options.toolkitsDir ?? join(import.meta.dirname, '../../toolkits');
  const dataDir = join(root, 'data');
  await mkdir(agentsDir);
  for (const [name, text] of Object.entries(options.agents)) await writeFile(join(agentsDir, name), text);
  const env: Env = { GEMINI_API_KEY: GEMINI_TEST_KEY, GEMINI_BASE_URL: gemini.url, AGENTLLM_API_KEY: options.apiKey, ...options.env };
  const settings = resolveServeSettings({ port: '0', host: '127.0.0.1', agents: agentsDir, toolkits: toolkitsDir, data: dataDir, watch: options.watch ?? false }, env);
  const logs: string[] = [];
  const logger = options.captureLogs ? createLogger({ level: 'debug', destination: captureLines(logs) }) : createSilentLogger();
  const app = await startApp(settings, logger, options.heartbeatMs === undefined ? {} : { heartbeatMs: options.heartbeatMs });
  const client = new OpenAI({ baseURL: `${app.url}/v1`, apiKey: options.apiKey ?? 'unused', maxRetries: 0 });
  return {
    url: app.url,
    gemini,
    client,
    root,
    agentsDir,
    dataDir,
    logs,
    async close() {
      await app.close(1000);
      await gemini.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** A minimal valid agent file. */
export function agentYaml(name: string, extra = ''): string {
  return `name: ${name}\ndescription: The ${name} test agent.\ninstructions: You are {{agent.name}}, talking to {{#if user.name}}{{user.name}}{{else}}someone (id {{user.id}}){{/if}}.\n${extra}`;
}

/** Every file of a data directory as text, to check that no secret is stored in plaintext. */
export async function readDataFiles(dir: string): Promise<string> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
  return (await Promise.all(files.map((file) => readFile(file, 'utf8')))).join('\n');
}

function captureLines(lines: string[]): Writable {
  return new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
}

/** The newest tool result the fake Gemini received (a functionResponse's response), as JSON. */
export function lastToolResult(stack: Stack): string {
  const parts = stack.gemini.requests.at(-1)!.body.contents.flatMap((content) => content.parts);
  return JSON.stringify(parts.filter((part) => part.functionResponse).at(-1)?.functionResponse?.response);
}
