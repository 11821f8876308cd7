import { existsSync } from 'node:fs';
import { createLogger, type Logger } from '../logger.ts';
import { isLoopback, parseServeArgs, resolveServeSettings, SERVE_HELP, ServeSettingsError, type ServeSettings } from './settings.ts';
import { startApp } from './start-app.ts';
import type { CliIO } from './validate.ts';

/**
 * `agentllm serve`: start the server; SIGTERM/SIGINT stop it gracefully (exit 0). Returns 0 once
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
  const logger = createLogger();
  if (!settings.apiKey && !isLoopback(settings.host)) warnOpenApi(logger, settings, io);
  const app = await startApp(settings, logger);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ event: 'stopping', signal }, 'stopping: no new requests, letting streams finish');
    await app.close(settings.shutdownGraceMs);
    logger.info({ event: 'stopped' }, 'stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  return 0;
}

/** `.env` of the working directory when present, or the file given; variables already set win (process.loadEnvFile keeps them). */
function loadEnvFile(path: string | undefined): void {
  if (path) {
    if (!existsSync(path)) throw new ServeSettingsError(`--env ${path}: no such file (expected KEY=value lines, like .env.example)`);
    process.loadEnvFile(path);
  } else if (existsSync('.env')) {
    process.loadEnvFile('.env');
  }
}

/** AGENTLLM_ALLOW_NO_AUTH=true on a public address: said in the log and, unmissably, on stderr. */
function warnOpenApi(logger: Logger, settings: ServeSettings, io: CliIO): void {
  const message = `AGENTLLM_ALLOW_NO_AUTH=true: serving an OPEN API on ${settings.host}:${settings.port} without AGENTLLM_API_KEY. Anyone who can reach it can chat on your Gemini key and use stored credentials.`;
  logger.warn({ event: 'open_api', host: settings.host }, message);
  const rule = '!'.repeat(78);
  io.stderr(`${rule}\n! ${message}\n${rule}\n`);
}
