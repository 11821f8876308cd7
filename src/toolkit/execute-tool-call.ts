import type { ToolCall, ToolResult } from '../conversation.ts';
import type { ToolDeclaration } from '../model/model-client.ts';
import type { Tool } from './plugin.ts';

export const DEFAULT_TOOL_TIMEOUT_MS = 30_000;
/** Largest tool result (characters of JSON) sent back to the model. */
export const DEFAULT_MAX_RESULT_CHARS = 100_000;

export interface ExecuteToolCallOptions {
  signal: AbortSignal;
  timeoutMs?: number;
  maxResultChars?: number;
}

/** What the model is told about the tools. */
export function toolDeclarations(tools: Tool[]): ToolDeclaration[] {
  return tools.map((tool) => ({ name: tool.name, description: tool.description, parameters: tool.parameters }));
}

/**
 * Runs the tool the model asked for. Never throws: an unknown tool, a handler that throws, times
 * out or is cancelled becomes `{isError: true, result: {error}}` for the model to read. Results
 * are made JSON-safe and capped at `maxResultChars` of JSON.
 */
export async function executeToolCall(tools: Tool[], call: ToolCall, options: ExecuteToolCallOptions): Promise<ToolResult> {
  const tool = tools.find((candidate) => candidate.name === call.name);
  if (!tool) return failure(call, unknownToolMessage(call.name, tools));
  const outcome = await runHandler(tool, call, options.signal, options.timeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS);
  if (!outcome.ok) return failure(call, outcome.error);
  return { id: call.id, name: call.name, result: toModelResult(outcome.value, options.maxResultChars ?? DEFAULT_MAX_RESULT_CHARS), isError: false };
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: string };

function runHandler(tool: Tool, call: ToolCall, signal: AbortSignal, timeoutMs: number): Promise<Outcome> {
  if (signal.aborted) return Promise.resolve({ ok: false, error: `Tool '${tool.name}' was cancelled.` });
  const controller = new AbortController();
  return new Promise<Outcome>((resolve) => {
    const finish = (outcome: Outcome): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      if (!outcome.ok) controller.abort();
      resolve(outcome);
    };
    const onAbort = (): void => finish({ ok: false, error: `Tool '${tool.name}' was cancelled.` });
    const timer = setTimeout(() => finish({ ok: false, error: `Tool '${tool.name}' timed out after ${formatSeconds(timeoutMs)}.` }), timeoutMs);
    signal.addEventListener('abort', onAbort, { once: true });
    new Promise<unknown>((run) => run(tool.handler(call.args ?? {}, { signal: controller.signal }))).then(
      (value) => finish({ ok: true, value }),
      (error: unknown) => finish({ ok: false, error: errorMessage(error, tool.name) }),
    );
  });
}

/** An error result: the message alone (the model adapter wraps it once, as Gemini's `{error: …}`). */
function failure(call: ToolCall, error: string): ToolResult {
  return { id: call.id, name: call.name, result: error, isError: true };
}

function unknownToolMessage(name: string, tools: Tool[]): string {
  const available = tools.map((tool) => tool.name).join(', ') || '(none)';
  return `Unknown tool '${name}'. Available tools: ${available}.`;
}

function errorMessage(error: unknown, toolName: string): string {
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  // One closing mark: "… see it.." (a message ending in a full stop, then another) reads as a typo.
  return message.trim().replace(/([.!?])[.\s]+$/u, '$1') || `Tool '${toolName}' failed without a message.`;
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/**
 * The result as the model gets it: JSON-safe (a value JSON cannot carry becomes its string form,
 * undefined becomes null) and, when its JSON is longer than `maxChars`, the start of that JSON
 * with a note saying so, the whole still within `maxChars` once serialised.
 */
export function toModelResult(value: unknown, maxChars: number): unknown {
  const json = stringifySafely(value);
  if (json.length <= maxChars) return JSON.parse(json) as unknown;
  let budget = Math.max(0, maxChars - 300);
  for (;;) {
    const capped = truncatedResult(json, budget);
    const excess = JSON.stringify(capped).length - maxChars;
    if (excess <= 0 || budget === 0) return capped;
    budget = Math.max(0, budget - excess);
  }
}

function truncatedResult(json: string, shown: number): { truncated: true; note: string; partial: string } {
  return {
    truncated: true,
    note: `The result was ${json.length} characters of JSON; only the first ${shown} are shown. Ask for less (filters, fewer fields, a smaller page).`,
    partial: json.slice(0, shown),
  };
}

function stringifySafely(value: unknown): string {
  try {
    return JSON.stringify(value) ?? JSON.stringify(value === undefined ? null : String(value));
  } catch {
    return JSON.stringify(String(value));
  }
}
