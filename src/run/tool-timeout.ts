import { AgentLLMError } from '../errors.ts';
import { DEFAULT_TOOL_TIMEOUT_MS } from '../toolkit/execute-tool-call.ts';
import type { Env } from '../toolkit/plugin.ts';

/**
 * The server's default tool timeout: AGENTLLM_TOOL_TIMEOUT_MS (a positive integer of ms), else
 * 30 s. Read once when the run room is created, so a bad value stops the server at start.
 */
export function readToolTimeout(env: Env): number {
  const raw = env.AGENTLLM_TOOL_TIMEOUT_MS?.trim();
  if (!raw) return DEFAULT_TOOL_TIMEOUT_MS;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new AgentLLMError(`AGENTLLM_TOOL_TIMEOUT_MS must be a positive whole number of milliseconds (e.g. 30000), not '${raw}'`, { status: 500, code: 'invalid_setting' });
  }
  return value;
}
