import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { listAgentFiles } from '../config/load-definitions.ts';
import { ignoreWriteErrors } from '../log-sink.ts';
import { createLogger, type Logger } from '../logger.ts';
import { isLoopbackHostname } from '../net/loopback.ts';
import { parseServeArgs, resolveServeSettings, SERVE_HELP, ServeSettingsError, type ServeSettings } from './settings.ts';
import { startApp } from './start-app.ts';
import type { CliIO } from './validate.ts';

/**
 * `agentllm serve`: start the server; SIGTERM/SIGINT stop it gracefully (exit 0), a second one at once (exit 130). Returns 0 once
 * listening (the server keeps the process alive), 2 on bad usage, 1 on a bad setting.
 */
export async function runServe(argv: string[], io: CliIO): Promise<number> {
  let settings: ServeSettings;
  try {
    const args = parseServeArgs(argv);
    if (args.help) {
      io.stdout(`${SERVE_HELP}\n`);
      return 0;
    }
    loadEnvFile(args.envFile);
    settings = resolveServeSettings(args.flags, process.env);
  } catch (error) {
    if (!(error instanceof ServeSettingsError)) throw error;
    io.stderr(error.usage ? `agentllm serve: ${error.message}\n\n${SERVE_HELP}\n` : `agentllm serve: ${error.message}\n`);
    return error.usage ? 2 : 1;
  }
  ignoreWriteErrors(process.stderr);
  const logger = createLogger({ level: settings.logLevel });
  const agentsProblem = await checkAgentsDir(settings);
  if (agentsProblem?.fatal) {
    io.stderr(`agentllm serve: ${agentsProblem.message}\n`);
    return 1;
  }
  if (agentsProblem) warnLoudly(logger, io, 'no_agents', agentsProblem.message);
  if (!settings.apiKey && !isLoopbackHostname(settings.host)) {
    const message = `AGENTLLM_ALLOW_NO_AUTH=true: serving an OPEN API on ${settings.host}:${settings.port} without AGENTLLM_API_KEY. Anyone who can reach it can chat on your Gemini key and use stored credentials.`;
    warnLoudly(logger, io, 'open_api', message);
  }
  const app = await startApp(settings, logger);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return forceExit(logger, signal);
    stopping = true;
    logger.info({ event: 'stopping', signal }, 'stopping: no new requests, letting streams finish');
    exitAfter(settings.shutdownGraceMs + SHUTDOWN_MARGIN_MS, logger);
    await app.close(settings.shutdownGraceMs);
    logger.info({ event: 'stopped' }, 'stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  return 0;
}

/** A second SIGINT/SIGTERM while waiting for streams (Ctrl-C twice): stop now, exit 130. Stored data stays consistent (atomic writes). */
function forceExit(logger: Logger, signal: string): void {
  logger.warn({ event: 'forced_exit', signal }, `second ${signal}: exiting now without waiting for open streams`);
  process.exit(FORCED_EXIT_CODE);
}

/** Time for storage to flush after the grace period, before shutdown stops waiting for it. */
const SHUTDOWN_MARGIN_MS = 5_000;

/**
 * Shutdown never waits longer than the grace period plus a margin, whatever it waits on (storage,
 * a stuck file): then it exits 1. Unref'd: it keeps nothing alive.
 */
function exitAfter(ms: number, logger: Logger): void {
  const timer = setTimeout(() => {
    logger.error({ event: 'forced_exit', afterMs: ms }, `shutdown still not done after ${ms} ms: exiting now`);
    process.exit(1);
  }, ms);
  timer.unref();
}

/** 128 + SIGINT, the shell's code for an interrupted program. */
const FORCED_EXIT_CODE = 130;

/** `.env` of the working directory when present, or the file given; variables already set win (process.loadEnvFile keeps them). */
function loadEnvFile(path: string | undefined): void {
  if (path) {
    if (!existsSync(path)) throw new ServeSettingsError(`--env ${path}: no such file (expected KEY=value lines, like .env.example)`);
    process.loadEnvFile(path);
  } else if (existsSync('.env')) {
    process.loadEnvFile('.env');
  }
}

/**
 * A wrong agents directory must not start an empty server quietly: missing without --watch is
 * fatal (nothing would ever appear); missing while watching, or holding no agent file, is warned.
 */
async function checkAgentsDir(settings: ServeSettings): Promise<{ message: string; fatal: boolean } | undefined> {
  const dir = resolve(settings.agentsDir);
  const isDir = await stat(dir).then((info) => info.isDirectory(), () => false);
  if (!isDir && !settings.watch) {
    return { fatal: true, message: `no agents directory ${dir} (--agents / AGENTLLM_AGENTS_DIR): run serve in the folder holding agents/, or point --agents at it (agentllm new <name> creates one)` };
  }
  if (!isDir) return { fatal: false, message: `no agents directory ${dir} (--agents / AGENTLLM_AGENTS_DIR): serving 0 agents until it is created` };
  if ((await listAgentFiles(dir)).length === 0) return { fatal: false, message: `no agent files (*.yaml, *.yml) in ${dir}: serving 0 agents (agentllm new <name> creates one)` };
  return undefined;
}

/** Said in the log and, unmissably, on stderr. */
function warnLoudly(logger: Logger, io: CliIO, event: string, message: string): void {
  logger.warn({ event }, message);
  const rule = '!'.repeat(78);
  io.stderr(`${rule}\n! ${message}\n${rule}\n`);
}
