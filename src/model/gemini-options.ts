import { MAX_TIMER_MS, readEnvNumber } from '../config/env-number.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.ts';

/** Longest wait for Gemini to say something, when neither the options nor GEMINI_TIMEOUT_MS say. */
export const DEFAULT_TIMEOUT_MS = 300_000;

export interface GeminiClientOptions {
  /** Gemini API key; without one every call fails with a 503 naming GEMINI_API_KEY. */
  apiKey?: string;
  /** Base URL of the Gemini API (default https://generativelanguage.googleapis.com). */
  baseUrl?: string;
  retry?: Partial<RetryPolicy>;
  /** Longest wait for Gemini to say something: the whole answer, or the next chunk of a stream (default 300 000). */
  timeoutMs?: number;
  /**
   * How the SDK's requests travel: 'node' (default), keep-alive node:http(s) agents; 'fetch', the
   * SDK's own global fetch (undici), slower, kept as a way back.
   */
  transport?: GeminiTransport;
}

export type GeminiTransport = 'node' | 'fetch';
const TRANSPORTS: readonly GeminiTransport[] = ['node', 'fetch'];

/**
 * Client options from the environment: GEMINI_API_KEY (or GOOGLE_API_KEY), GEMINI_BASE_URL,
 * GEMINI_TIMEOUT_MS, GEMINI_RETRY_ATTEMPTS (unset or blank: their defaults), GEMINI_TRANSPORT.
 * A missing key is not an error here.
 */
export function geminiOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): GeminiClientOptions {
  const options: GeminiClientOptions = {
    timeoutMs: readEnvNumber(env, 'GEMINI_TIMEOUT_MS', { unit: 'milliseconds', min: 1, max: MAX_TIMER_MS, numberLiterals: true, fallback: DEFAULT_TIMEOUT_MS }),
    retry: { attempts: readEnvNumber(env, 'GEMINI_RETRY_ATTEMPTS', { unit: 'attempts', min: 1, numberLiterals: true, fallback: DEFAULT_RETRY_POLICY.attempts }) },
  };
  const apiKey = env.GEMINI_API_KEY || env.GOOGLE_API_KEY;
  if (apiKey) options.apiKey = apiKey;
  if (env.GEMINI_BASE_URL) options.baseUrl = env.GEMINI_BASE_URL;
  if (env.GEMINI_TRANSPORT) options.transport = readTransport(env.GEMINI_TRANSPORT);
  return options;
}

function readTransport(value: string): GeminiTransport {
  const transport = TRANSPORTS.find((name) => name === value.trim().toLowerCase());
  if (!transport) throw new TypeError(`GEMINI_TRANSPORT must be one of ${TRANSPORTS.join(', ')}, got '${value}'`);
  return transport;
}
