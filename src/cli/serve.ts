import { existsSync } from 'node:fs';
import { createLogger } from '../logger.ts';
import { parseServeArgs, resolveServeSettings, SERVE_HELP } from './settings.ts';
import { startApp } from './start-app.ts';

/** `agentllm serve`: start the server; SIGTERM/SIGINT stop it gracefully (exit 0). */
export async function runServe(argv: string[]): Promise<void> {
  const args = parseServeArgs(argv);
  if (args.help) {
    console.log(SERVE_HELP);
    return;
  }
  loadEnvFile(args.envFile);
  const logger = createLogger();
  const settings = resolveServeSettings(args.flags, process.env);
  const app = await startApp(settings, logger);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ event: 'stopping', signal }, 'stopping: no new requests, letting streams finish');
    await app.close(Number(process.env.AGENTLLM_SHUTDOWN_GRACE_MS ?? 10_000));
    logger.info({ event: 'stopped' }, 'stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

function loadEnvFile(path: string | undefined): void {
  if (path) {
    if (!existsSync(path)) throw new Error(`--env-file ${path}: no such file`);
    process.loadEnvFile(path);
  } else if (existsSync('.env')) {
    process.loadEnvFile('.env');
  }
}
