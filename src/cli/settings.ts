import { parseArgs } from 'node:util';
import { MAX_TIMER_MS, readEnvNumber } from '../config/env-number.ts';
import { readLogLevel } from '../logger.ts';
import { isLoopbackHostname } from '../net/loopback.ts';
import { geminiOptionsFromEnv, type GeminiClientOptions } from '../model/gemini-options.ts';
import { readToolTimeout } from '../run/tool-timeout.ts';
import { DEFAULT_MAX_CONNECTIONS } from '../server/listen.ts';
import { cacheBytesFromEnv } from '../store/file-store.ts';
import type { Env } from '../toolkit/plugin.ts';

/** Everything `serve` needs, from flags first, then the environment, then defaults. */
export interface ServeSettings {
  port: number;
  host: string;
  agentsDir: string;
  toolkitsDir: string;
  dataDir: string;
  watch: boolean;
  apiKey?: string;
  secretKey?: string;
  /** Base URL the browser reaches us at (OAuth redirects). Unset: the listening URL. */
  publicUrl?: string;
  bodyLimitBytes: number;
  /** AGENTLLM_MAX_CONNECTIONS: open connections at once; more are closed as they come. */
  maxConnections: number;
  shutdownGraceMs: number;
  /** AGENTLLM_ALLOW_NO_AUTH: serve an open API on a non-loopback address on purpose. */
  allowNoAuth: boolean;
  /** LOG_LEVEL, checked. */
  logLevel: string;
  /** GEMINI_* client options, checked. */
  gemini: GeminiClientOptions;
  /** AGENTLLM_SESSION_CACHE_MB in bytes. */
  cacheBytes: number;
  /** AGENTLLM_TOOL_TIMEOUT_MS: tool timeout of agents without their own. */
  toolTimeoutMs: number;
  env: Env;
}

export type ServeFlags = Record<string, string | boolean | undefined>;

export interface ServeArgs {
  help: boolean;
  envFile?: string;
  flags: ServeFlags;
}

/** A bad `serve` invocation or setting; `usage` ones (bad flags) exit 2 with the help, others 1. */
export class ServeSettingsError extends Error {
  readonly usage: boolean;

  constructor(message: string, usage = false) {
    super(message);
    this.name = 'ServeSettingsError';
    this.usage = usage;
  }
}

export const SERVE_HELP = `Usage: agentllm serve [options]

Serves every agent in the agents directory as a model on an OpenAI-compatible API.

Options:
  --port <n>          Port, 0 for any free one (env PORT, default 8000)
  --host <addr>       Address to bind (env HOST; default 0.0.0.0 with an API key, 127.0.0.1 without)
  --agents <dir>      Agents directory (env AGENTLLM_AGENTS_DIR, default ./agents)
  --toolkits <dir>    Toolkits directory (env AGENTLLM_TOOLKITS_DIR, default ./toolkits)
  --data <dir>        Data directory (env AGENTLLM_DATA_DIR, default ./data)
  --watch             Reload agents and toolkits when their files change (env AGENTLLM_WATCH=1)
  --no-watch          Do not watch, whatever AGENTLLM_WATCH says (not watching is the default)
  --env <file>        Load environment variables from this file (default: .env when present);
                      variables already set in the environment win
  -h, --help          Show this help

Without AGENTLLM_API_KEY the server listens on 127.0.0.1 only; it refuses another --host/HOST
unless AGENTLLM_ALLOW_NO_AUTH=true.

Environment: see .env.example (GEMINI_API_KEY, AGENTLLM_API_KEY, AGENTLLM_SECRET_KEY, ...).`;

const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  agents: { type: 'string' },
  toolkits: { type: 'string' },
  data: { type: 'string' },
  watch: { type: 'boolean' },
  'no-watch': { type: 'boolean' },
  env: { type: 'string' },
  // Node 20 itself reads `--env-file` anywhere on the command line (a missing file stops it before us): kept as an alias.
  'env-file': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Parses `serve`'s flags; throws a usage ServeSettingsError naming the bad flag. */
export function parseServeArgs(argv: string[]): ServeArgs {
  let values: ServeFlags;
  try {
    values = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new ServeSettingsError(describeArgsError(error), true);
  }
  if (values.watch && values['no-watch']) throw new ServeSettingsError('--watch and --no-watch contradict each other: give one', true);
  if (values.port !== undefined) readPort(String(values.port), '--port', true);
  return { help: values.help === true, envFile: str(values.env) ?? str(values['env-file']), flags: values };
}

function describeArgsError(error: unknown): string {
  const { code, message } = error as { code?: string; message: string };
  const option = /'(-[^' ]+)/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option '${option}'`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return `${option} needs a value${message.includes('ambiguous') ? ` (one starting with '-' is written ${option}=<value>)` : ''}`;
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `unexpected argument '${/'([^']+)'/.exec(message)?.[1]}': serve takes options only`;
  return message;
}

/** Settings from flags (from parseServeArgs), then the environment, then defaults. Throws ServeSettingsError naming what is wrong. */
export function resolveServeSettings(flags: ServeFlags, env: Env): ServeSettings {
  const apiKey = nonEmpty(env.AGENTLLM_API_KEY);
  const allowNoAuth = readBoolean(env, 'AGENTLLM_ALLOW_NO_AUTH') ?? false;
  const port = str(flags.port) !== undefined ? readPort(str(flags.port)!, '--port', true) : readPort(nonEmpty(env.PORT) ?? '8000', 'PORT', false);
  const host = str(flags.host) ?? nonEmpty(env.HOST) ?? (apiKey ? '0.0.0.0' : '127.0.0.1');
  if (!apiKey && !allowNoAuth && !isLoopbackHostname(host)) throw new ServeSettingsError(refuseOpenHost(host, str(flags.host) ? '--host' : 'HOST'));
  readHttpUrl(env, 'GEMINI_BASE_URL');
  // The rooms that use these variables own their parsers; they are called here, once, so a bad value stops serve before anything is written.
  return {
    port,
    host,
    agentsDir: str(flags.agents) ?? nonEmpty(env.AGENTLLM_AGENTS_DIR) ?? 'agents',
    toolkitsDir: str(flags.toolkits) ?? nonEmpty(env.AGENTLLM_TOOLKITS_DIR) ?? 'toolkits',
    dataDir: str(flags.data) ?? nonEmpty(env.AGENTLLM_DATA_DIR) ?? 'data',
    watch: flags['no-watch'] ? false : flags.watch === true || (readBoolean(env, 'AGENTLLM_WATCH') ?? false),
    apiKey,
    secretKey: nonEmpty(env.AGENTLLM_SECRET_KEY),
    publicUrl: readHttpUrl(env, 'AGENTLLM_PUBLIC_URL')?.replace(/\/+$/, ''),
    bodyLimitBytes: checkSetting(() => readEnvNumber(env, 'AGENTLLM_BODY_LIMIT', { unit: 'bytes', min: 1, fallback: 1024 * 1024 })),
    maxConnections: checkSetting(() => readEnvNumber(env, 'AGENTLLM_MAX_CONNECTIONS', { unit: 'connections', min: 1, fallback: DEFAULT_MAX_CONNECTIONS })),
    shutdownGraceMs: checkSetting(() => readEnvNumber(env, 'AGENTLLM_SHUTDOWN_GRACE_MS', { unit: 'milliseconds', min: 0, max: MAX_TIMER_MS, fallback: 10_000 })),
    allowNoAuth,
    logLevel: checkSetting(() => readLogLevel(env)),
    gemini: checkSetting(() => geminiOptionsFromEnv(env)),
    cacheBytes: checkSetting(() => cacheBytesFromEnv(env)),
    toolTimeoutMs: checkSetting(() => readToolTimeout(env)),
    env,
  };
}

/** A parser of another room, its error (which names the variable) turned into a setting error. */
function checkSetting<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new ServeSettingsError((error as Error).message);
  }
}

/** An absolute http(s) URL, or undefined when unset. */
function readHttpUrl(env: Env, name: string): string | undefined {
  const text = nonEmpty(env[name])?.trim();
  if (text === undefined) return undefined;
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (url && (url.protocol === 'http:' || url.protocol === 'https:')) return text;
  throw new ServeSettingsError(`${name} must be an absolute http(s) URL such as https://agents.example.com, got '${env[name]}'`);
}

function refuseOpenHost(host: string, source: string): string {
  return (
    `refusing to listen on ${host} (${source}) without AGENTLLM_API_KEY: anyone who can reach it could chat on your Gemini key ` +
    'and use the credentials users stored. Set AGENTLLM_API_KEY (clients send it as "Authorization: Bearer <key>"), ' +
    'listen on 127.0.0.1, or set AGENTLLM_ALLOW_NO_AUTH=true to serve an open API on purpose.'
  );
}

function readPort(text: string, source: string, usage: boolean): number {
  const port = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (Number.isInteger(port) && port >= 0 && port <= 65535) return port;
  throw new ServeSettingsError(`${source} must be a whole number from 0 to 65535, got '${text}'`, usage);
}

const TRUE = ['1', 'true', 'yes', 'on'];
const FALSE = ['0', 'false', 'no', 'off'];

function readBoolean(env: Env, name: string): boolean | undefined {
  const text = nonEmpty(env[name])?.trim().toLowerCase();
  if (text === undefined) return undefined;
  if (TRUE.includes(text)) return true;
  if (FALSE.includes(text)) return false;
  throw new ServeSettingsError(`${name} must be one of ${[...TRUE, ...FALSE].join(', ')}, got '${env[name]}'`);
}

function str(value: string | boolean | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value && value.trim() !== '' ? value : undefined;
}
