import { MAX_TIMER_MS, readEnvNumber } from '../config/env-number.ts';
import { DEFAULT_TOOL_TIMEOUT_MS } from '../toolkit/execute-tool-call.ts';
import type { Env } from '../toolkit/plugin.ts';

/**
 * The server's default tool timeout: AGENTLLM_TOOL_TIMEOUT_MS (a positive integer of ms), else
 * 30 s. Read once by serve's settings, so a bad value stops the server before it starts.
 */
export function readToolTimeout(env: Env): number {
  return readEnvNumber(env, 'AGENTLLM_TOOL_TIMEOUT_MS', { unit: 'milliseconds', min: 1, max: MAX_TIMER_MS, fallback: DEFAULT_TOOL_TIMEOUT_MS });
}
