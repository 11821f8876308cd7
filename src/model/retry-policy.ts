/**
 * Bounded exponential backoff with full jitter, honouring upstream's retry hint. A hint longer
 * than the longest backoff is not waited out partly: the retry would fail for sure, so the call
 * fails at once and the client gets the hint as Retry-After.
 */
export interface RetryPolicy {
  /** Attempts in total, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 3, baseDelayMs: 250, maxDelayMs: 4000 };

export function resolveRetryPolicy(options: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY, ...definedOnly(options) };
  assertNonNegativeInteger('retry.attempts', policy.attempts, 1);
  assertNonNegativeInteger('retry.baseDelayMs', policy.baseDelayMs, 0);
  assertNonNegativeInteger('retry.maxDelayMs', policy.maxDelayMs, 0);
  return policy;
}

/** True when upstream asks for a longer wait than any backoff of ours: give up now, pass the hint on. */
export function hintExceedsBackoff(policy: RetryPolicy, hintMs: number | undefined): boolean {
  return hintMs !== undefined && hintMs > policy.maxDelayMs;
}

/** The wait before attempt `attempt + 1`: random in [0, min(max, base * 2^(attempt-1))], at least the hint (capped at max). */
export function retryDelayMs(policy: RetryPolicy, attempt: number, hintMs?: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = Math.random() * ceiling;
  const hinted = hintMs === undefined ? 0 : Math.min(hintMs, policy.maxDelayMs);
  return Math.round(Math.max(jittered, hinted));
}

function definedOnly(options: Partial<RetryPolicy>): Partial<RetryPolicy> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}

function assertNonNegativeInteger(name: string, value: number, minimum: number): void {
  if (!Number.isInteger(value) || value < minimum) {
    throw new TypeError(`Gemini client option ${name} must be an integer >= ${minimum}, got ${value}`);
  }
}
