import { AgentLLMError } from '../errors.ts';
import { DEFAULT_TOOL_TIMEOUT_MS } from '../toolkit/execute-tool-call.ts';
import type { Env } from '../toolkit/plugin.ts';

/**
 * The server's default tool timeout: AGENTLLM_TOOL_TIMEOUT_MS (a positive integer of ms), else
 * 30 s. Read once by serve's settings, so a bad value stops the server before it starts.
 */
export function readToolTimeout(env: Env): number {
  const raw = env.AGENTLLM_TOOL_TIMEOUT_MS?.trim();
  if (!raw) return DEFAULT_TOOL_TIMEOUT_MS;
  const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < 1) {
    const message = `AGENTLLM_TOOL_TIMEOUT_MS must be a whole number of milliseconds, at least 1, got '${raw}' (unset it for the default, ${DEFAULT_TOOL_TIMEOUT_MS})`;
    throw new AgentLLMError(message, { status: 500, code: 'invalid_setting' });
  }
  return value;
}
