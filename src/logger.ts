import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Level from LOG_LEVEL (default info). Never log keys, tokens or message
 * bodies at info level: the redact paths below are a safety net, not a licence.
 */
export function createLogger(options: { level?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  const level = options.level ?? process.env.LOG_LEVEL ?? 'info';
  const settings = {
    level,
    base: { service: 'agentllm' },
    redact: {
      paths: ['*.authorization', '*.apiKey', '*.api_key', '*.token', '*.access_token', '*.refresh_token', '*.credential'],
      censor: '[redacted]',
    },
  };
  return options.destination ? pino(settings, options.destination as DestinationStream) : pino(settings);
}

/** A logger that drops everything (tests, benchmarks). */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
