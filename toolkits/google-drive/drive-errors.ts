import { CredentialRejectedError } from 'agentllm/toolkit';

/**
 * Turns googleapis / gaxios failures into short messages a model (and a user) can act on.
 * Tokens never appear in them: only Google's status and error text.
 */
interface GoogleFailure {
  message?: string;
  status?: number;
  response?: { status?: number; data?: unknown };
}

export function describeDriveError(error: unknown, what: string): Error {
  const failure = (error ?? {}) as GoogleFailure;
  const status = failure.response?.status ?? failure.status;
  const detail = googleMessage(failure.response?.data) ?? failure.message ?? String(error);
  if (isInvalidGrant(failure) || /no refresh token/i.test(failure.message ?? '')) {
    return new CredentialRejectedError('Google Drive access has expired or was revoked: the user must connect Google Drive again.');
  }
  if (status === 401) return new Error(`Google rejected the Drive credential (${detail}): the user must connect Google Drive again.`);
  if (status === 404) return new Error(`${what} was not found, or the user has no access to it.`);
  if (status === 403) return new Error(`Google refused access to ${what}: ${detail}`);
  if (status === 429) return new Error(`Google Drive rate limit reached; try again in a minute. (${detail})`);
  return new Error(`Google Drive request for ${what} failed${status ? ` (HTTP ${status})` : ''}: ${detail}`);
}

function isInvalidGrant(failure: GoogleFailure): boolean {
  const data = failure.response?.data as { error?: unknown } | undefined;
  return failure.message === 'invalid_grant' || data?.error === 'invalid_grant';
}

/** Google's error bodies: {error: {message}} (APIs) or {error, error_description} (OAuth). */
function googleMessage(data: unknown): string | undefined {
  if (!data || typeof data !== 'object') return typeof data === 'string' && data ? data.slice(0, 300) : undefined;
  const body = data as { error?: unknown; error_description?: unknown };
  if (typeof body.error_description === 'string') return body.error_description;
  if (body.error && typeof body.error === 'object') {
    const message = (body.error as { message?: unknown }).message;
    if (typeof message === 'string') return message;
  }
  return typeof body.error === 'string' ? body.error : undefined;
}

/** A token-endpoint failure as "invalid_grant (Malformed auth code.)". */
export function describeOAuthError(error: unknown): string {
  const failure = (error ?? {}) as GoogleFailure;
  const data = failure.response?.data as { error?: unknown; error_description?: unknown } | undefined;
  if (typeof data?.error === 'string') {
    return typeof data.error_description === 'string' ? `${data.error} (${data.error_description})` : data.error;
  }
  return failure.message ?? String(error);
}
