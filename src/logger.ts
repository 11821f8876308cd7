import { pino, type DestinationStream, type Logger } from 'pino';
import { LogSink } from './log-sink.ts';

export type { Logger };

/** Keys whose values never reach a log line, at the top level or one level down (e.g. `headers.authorization`). */
const SECRET_KEYS = new Set(['authorization', 'apiKey', 'api_key', 'token', 'access_token', 'refresh_token', 'credential']);
const CENSOR = '[redacted]';

/**
 * Structured JSON logs. Level from LOG_LEVEL (default info). Never log keys, tokens or message
 * bodies at info level: the censoring below is a safety net, not a licence. It is a plain walk
 * of two levels rather than pino's `redact` option, which copies every log object it is given
 * (about 30 KB of garbage per request line).
 */
export function createLogger(options: { level?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  const level = options.level ?? readLogLevel(process.env);
  const settings = { level, base: { service: 'agentllm' }, formatters: { log: censorSecrets } };
  // Standard output through a LogSink: never blocks, never waits at exit (see log-sink.ts).
  return pino(settings, (options.destination ?? new LogSink(process.stdout)) as DestinationStream);
}

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** LOG_LEVEL (any case; unset or empty: info). Throws naming the variable and the levels. */
export function readLogLevel(env: Record<string, string | undefined>): string {
  const level = env.LOG_LEVEL?.trim().toLowerCase() || 'info';
  if (LEVELS.includes(level)) return level;
  throw new Error(`LOG_LEVEL must be one of ${LEVELS.join(', ')}, got '${env.LOG_LEVEL}'`);
}

/** The log object with secret-named values censored; the same object when it holds none. */
export function censorSecrets(object: Record<string, unknown>): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(object)) {
    const value = object[key];
    const censored = SECRET_KEYS.has(key) ? CENSOR : isPlainObject(value) ? censorLevel(value) : value;
    if (censored !== value) (copy ??= { ...object })[key] = censored;
  }
  return copy ?? object;
}

function censorLevel(object: Record<string, unknown>): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(object)) {
    if (SECRET_KEYS.has(key) && object[key] !== undefined) (copy ??= { ...object })[key] = CENSOR;
  }
  return copy ?? object;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** A logger that drops everything (tests, benchmarks). */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
