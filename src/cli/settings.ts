import { parseArgs } from 'node:util';
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
  env: Env;
}

export const SERVE_HELP = `Usage: agentllm serve [options]

Serves every agent in the agents directory as a model on an OpenAI-compatible API.

Options:
  --port <n>          Port (env PORT, default 8000)
  --host <addr>       Address to bind (env HOST; default 0.0.0.0 with an API key, 127.0.0.1 without)
  --agents <dir>      Agents directory (env AGENTLLM_AGENTS_DIR, default ./agents)
  --toolkits <dir>    Toolkits directory (env AGENTLLM_TOOLKITS_DIR, default ./toolkits)
  --data <dir>        Data directory (env AGENTLLM_DATA_DIR, default ./data)
  --watch             Reload agents and toolkits when their files change (env AGENTLLM_WATCH=1)
  --no-watch          Do not watch (default in production)
  --env-file <file>   Load environment variables from this file (default: .env when present)
  -h, --help          Show this help

Environment: see .env.example (GEMINI_API_KEY, AGENTLLM_API_KEY, AGENTLLM_SECRET_KEY, ...).`;

export function parseServeArgs(argv: string[]): { help: boolean; envFile?: string; flags: Record<string, string | boolean | undefined> } {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      agents: { type: 'string' },
      toolkits: { type: 'string' },
      data: { type: 'string' },
      watch: { type: 'boolean' },
      'no-watch': { type: 'boolean' },
      'env-file': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  return { help: values.help ?? false, envFile: values['env-file'], flags: values };
}

export function resolveServeSettings(flags: Record<string, string | boolean | undefined>, env: Env): ServeSettings {
  const apiKey = nonEmpty(env.AGENTLLM_API_KEY);
  const port = Number(flags.port ?? env.PORT ?? 8000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a whole number from 0 to 65535, got ${flags.port ?? env.PORT}`);
  const host = str(flags.host) ?? nonEmpty(env.HOST) ?? (apiKey ? '0.0.0.0' : '127.0.0.1');
  const watch = flags['no-watch'] ? false : flags.watch === true || ['1', 'true', 'yes'].includes((env.AGENTLLM_WATCH ?? '').toLowerCase());
  return {
    port,
    host,
    agentsDir: str(flags.agents) ?? nonEmpty(env.AGENTLLM_AGENTS_DIR) ?? 'agents',
    toolkitsDir: str(flags.toolkits) ?? nonEmpty(env.AGENTLLM_TOOLKITS_DIR) ?? 'toolkits',
    dataDir: str(flags.data) ?? nonEmpty(env.AGENTLLM_DATA_DIR) ?? 'data',
    watch,
    apiKey,
    secretKey: nonEmpty(env.AGENTLLM_SECRET_KEY),
    publicUrl: nonEmpty(env.AGENTLLM_PUBLIC_URL)?.replace(/\/+$/, ''),
    bodyLimitBytes: Number(env.AGENTLLM_BODY_LIMIT ?? 1024 * 1024),
    env,
  };
}

function str(value: string | boolean | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value && value.trim() !== '' ? value : undefined;
}
