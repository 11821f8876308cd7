/**
 * The one error type of AgentLLM. It carries the HTTP status and the OpenAI error `type`/`code`
 * that the server's error middleware renders as `{error: {message, type, param, code}}`.
 * Rooms throw it; only server/ turns it into a response.
 */
export type ErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'server_error'
  | 'upstream_error'
  | 'service_unavailable';

export interface AgentLLMErrorOptions {
  status: number;
  type?: ErrorType;
  code?: string | null;
  param?: string | null;
  cause?: unknown;
  /** Seconds a client should wait before retrying (sent as Retry-After). */
  retryAfter?: number;
}

export class AgentLLMError extends Error {
  readonly status: number;
  readonly type: ErrorType;
  readonly code: string | null;
  readonly param: string | null;
  readonly retryAfter: number | undefined;

  constructor(message: string, options: AgentLLMErrorOptions) {
    super(message, { cause: options.cause });
    this.name = 'AgentLLMError';
    this.status = options.status;
    this.type = options.type ?? defaultType(options.status);
    this.code = options.code ?? null;
    this.param = options.param ?? null;
    this.retryAfter = options.retryAfter;
  }
}

function defaultType(status: number): ErrorType {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status === 503) return 'service_unavailable';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

/** Shorthand for a 400 about one request parameter. */
export function invalidRequest(message: string, param: string | null = null, code: string | null = null): AgentLLMError {
  return new AgentLLMError(message, { status: 400, param, code });
}
