import { describe, expect, it } from 'vitest';
import { hintExceedsBackoff, resolveRetryPolicy, retryDelayMs } from '../../src/model/retry-policy.ts';
import { geminiOptionsFromEnv } from '../../src/model/gemini-options.ts';

describe('retryDelayMs', () => {
  const policy = resolveRetryPolicy({ baseDelayMs: 100, maxDelayMs: 1000 });

  it('stays within the doubling, capped ceiling', () => {
    for (let i = 0; i < 50; i++) {
      expect(retryDelayMs(policy, 1)).toBeLessThanOrEqual(100);
      expect(retryDelayMs(policy, 3)).toBeLessThanOrEqual(400);
      expect(retryDelayMs(policy, 10)).toBeLessThanOrEqual(1000);
    }
  });

  it('waits at least the upstream hint, but never more than the maximum', () => {
    expect(retryDelayMs(policy, 1, 700)).toBeGreaterThanOrEqual(700);
    expect(retryDelayMs(policy, 1, 60_000)).toBe(1000);
  });

  it('calls a hint longer than the maximum backoff not worth waiting for', () => {
    expect(hintExceedsBackoff(policy, 1000)).toBe(false);
    expect(hintExceedsBackoff(policy, 1001)).toBe(true);
    expect(hintExceedsBackoff(policy, undefined)).toBe(false);
  });

  it('rejects nonsense options with a precise message', () => {
    expect(() => resolveRetryPolicy({ attempts: 0 })).toThrow(/retry.attempts must be an integer >= 1/);
  });
});

describe('geminiOptionsFromEnv', () => {
  it('reads the key, base URL, timeout and attempts', () => {
    expect(geminiOptionsFromEnv({ GEMINI_API_KEY: 'k1', GEMINI_BASE_URL: 'http://x', GEMINI_TIMEOUT_MS: '5000', GEMINI_RETRY_ATTEMPTS: '2' }))
      .toEqual({ apiKey: 'k1', baseUrl: 'http://x', timeoutMs: 5000, retry: { attempts: 2 } });
  });

  it('accepts GOOGLE_API_KEY and tolerates no key at all; unset numbers are the defaults', () => {
    const defaults = { timeoutMs: 300_000, retry: { attempts: 3 } };
    expect(geminiOptionsFromEnv({ GOOGLE_API_KEY: 'k2' })).toEqual({ apiKey: 'k2', ...defaults });
    expect(geminiOptionsFromEnv({})).toEqual(defaults);
  });

  it('fails on a timeout that is not a number, and takes any number literal as it always did', () => {
    expect(() => geminiOptionsFromEnv({ GEMINI_TIMEOUT_MS: 'soon' })).toThrow("GEMINI_TIMEOUT_MS must be a whole number of milliseconds, at least 1 and at most 2147483647, got 'soon' (unset it for the default, 300000)");
    expect(geminiOptionsFromEnv({ GEMINI_TIMEOUT_MS: '3e5', GEMINI_RETRY_ATTEMPTS: ' 5 ' })).toMatchObject({ timeoutMs: 300_000, retry: { attempts: 5 } });
  });
});
