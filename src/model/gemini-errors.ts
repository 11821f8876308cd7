/**
 * What went wrong upstream, and how it looks to our callers. @google/genai throws ApiError
 * ({status, message: the JSON error body}) for HTTP errors and undici's TypeError for network ones.
 */
import { ApiError } from '@google/genai';
import { AgentLLMError } from '../errors.ts';
import { MalformedAnswerError } from './from-gemini-response.ts';

export interface UpstreamFailure {
  kind: 'http' | 'network' | 'timeout' | 'malformed' | 'unknown';
  status: number;
  message: string;
  retryable: boolean;
  /** Upstream's RetryInfo delay, when it sent one. */
  retryAfterMs?: number;
  keyRejected: boolean;
  /** Part of the answer had already arrived (a stream that broke mid-answer). */
  interrupted?: boolean;
}

const RETRYABLE_STATUSES = new Set([429, 500, 502, 503, 504]);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

interface GoogleErrorBody {
  message?: string;
  status?: string;
  details?: Array<{ '@type'?: string; retryDelay?: string; reason?: string }>;
}

export function classifyFailure(error: unknown): UpstreamFailure {
  if (error instanceof ApiError) return classifyApiError(error);
  if (isNetworkError(error)) {
    return { kind: 'network', status: 0, message: describeNetworkError(error), retryable: true, keyRejected: false };
  }
  if (isMalformedAnswer(error)) {
    // Never the parser's message: it quotes the body, and that is no business of the client's.
    const message = error instanceof MalformedAnswerError ? error.message : 'the body is not valid JSON';
    return { kind: 'malformed', status: 0, message, retryable: false, keyRejected: false };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'unknown', status: 0, message, retryable: false, keyRejected: false };
}

function classifyApiError(error: ApiError): UpstreamFailure {
  const body = parseErrorBody(error.message);
  const message = body?.message ?? error.message;
  const keyRejected = error.status === 401 || error.status === 403 || isInvalidKey(body);
  const failure: UpstreamFailure = { kind: 'http', status: error.status, message, retryable: RETRYABLE_STATUSES.has(error.status), keyRejected };
  const delay = retryDelayOf(body);
  if (delay !== undefined) failure.retryAfterMs = delay;
  return failure;
}

/** The `error` object of a Google error body found in the SDK's message (which is that body as JSON, maybe prefixed). */
function parseErrorBody(message: string): GoogleErrorBody | undefined {
  const start = message.indexOf('{');
  if (start < 0) return undefined;
  try {
    const parsed = JSON.parse(message.slice(start)) as { error?: GoogleErrorBody } | Array<{ error?: GoogleErrorBody }>;
    return Array.isArray(parsed) ? parsed[0]?.error : parsed.error;
  } catch {
    return undefined;
  }
}

function isInvalidKey(body: GoogleErrorBody | undefined): boolean {
  return Boolean(body?.details?.some((detail) => detail.reason === 'API_KEY_INVALID') || body?.message?.includes('API key not valid'));
}

function retryDelayOf(body: GoogleErrorBody | undefined): number | undefined {
  const retryInfo = body?.details?.find((detail) => detail['@type']?.endsWith('google.rpc.RetryInfo'));
  const seconds = Number.parseFloat(retryInfo?.retryDelay ?? '');
  return Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds * 1000) : undefined;
}

/**
 * The SDK's own words for an answer it cannot read (the @google/genai 1.x stream parser), and the
 * SyntaxError of JSON.parse on a body or an event: only the model call parses JSON here.
 */
const MALFORMED_MESSAGES = ['Incomplete JSON segment at the end', 'exception parsing stream chunk', 'Response body is empty'];

function isMalformedAnswer(error: unknown): boolean {
  if (error instanceof MalformedAnswerError || error instanceof SyntaxError) return true;
  return error instanceof Error && MALFORMED_MESSAGES.some((text) => error.message.startsWith(text));
}

function isNetworkError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.message === 'fetch failed' || error.message === 'terminated') return true;
  return NETWORK_CODES.has(codeOf(error) ?? '') || NETWORK_CODES.has(codeOf(error.cause) ?? '');
}

function describeNetworkError(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  return codeOf(cause) ?? codeOf(error) ?? (error instanceof Error ? error.message : 'network error');
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The error our callers see once retries are over. Never includes the key. */
export function toAgentLLMError(failure: UpstreamFailure, cause?: unknown): AgentLLMError {
  if (failure.kind === 'unknown') {
    return new AgentLLMError('internal error while calling the model', { status: 500, type: 'server_error', code: 'internal_error', cause });
  }
  const retryAfter = failure.retryAfterMs !== undefined ? Math.max(1, Math.ceil(failure.retryAfterMs / 1000)) : undefined;
  if (failure.keyRejected) {
    return new AgentLLMError('Gemini rejected the API key: check GEMINI_API_KEY.', { status: 502, type: 'upstream_error', code: 'upstream_auth_failed', cause });
  }
  if (failure.kind === 'timeout') {
    return new AgentLLMError(`Gemini did not answer in time (${failure.message}).`, { status: 504, type: 'upstream_error', code: 'upstream_timeout', cause });
  }
  if (failure.kind === 'malformed') {
    const during = failure.interrupted ? ' during the answer' : '';
    return new AgentLLMError(`Gemini sent an answer that is not a valid response${during}: ${failure.message}.`, { status: 502, type: 'upstream_error', code: 'upstream_malformed', cause });
  }
  if (failure.kind === 'network' && failure.interrupted) {
    return new AgentLLMError(`The connection to Gemini broke during the answer (${failure.message}).`, { status: 502, type: 'upstream_error', code: 'upstream_interrupted', cause });
  }
  if (failure.kind === 'network') {
    return new AgentLLMError(`Could not reach Gemini (${failure.message}).`, { status: 502, type: 'upstream_error', code: 'upstream_unreachable', cause });
  }
  if (failure.status === 429) {
    return new AgentLLMError(`Gemini is rate limiting requests: ${failure.message}`, { status: 429, type: 'rate_limit_error', code: 'upstream_rate_limited', cause, retryAfter });
  }
  if (failure.status === 503) {
    return new AgentLLMError(`Gemini is unavailable: ${failure.message}`, { status: 503, type: 'service_unavailable', code: 'upstream_unavailable', cause, retryAfter });
  }
  if (failure.status === 400) {
    return new AgentLLMError(failure.message, { status: 400, type: 'invalid_request_error', code: 'upstream_invalid_request', cause });
  }
  const code = failure.status === 404 ? 'upstream_not_found' : 'upstream_error';
  return new AgentLLMError(`Gemini failed: ${failure.message}`, { status: 502, type: 'upstream_error', code, cause });
}

export function createAbortError(): Error {
  return new DOMException('The model call was aborted.', 'AbortError');
}
