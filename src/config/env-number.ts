import { AgentLLMError } from '../errors.ts';

/** Node's timers fire a longer delay after 1 ms (with a warning): the longest wait a timer can hold. */
export const MAX_TIMER_MS = 2_147_483_647;

/** How a numeric environment variable is read (see readEnvNumber). */
export interface EnvNumberRule {
  /** What the number counts, named in the message: 'milliseconds', 'bytes', 'attempts', ... */
  unit: string;
  /** The smallest value taken; with `above`, values must be greater than it. */
  min: number;
  above?: boolean;
  /** The largest value taken (e.g. MAX_TIMER_MS for anything that becomes a timer). */
  max?: number;
  /** Fractions are taken too (megabytes); else whole numbers only. */
  fractions?: boolean;
  /**
   * Any JavaScript number literal is taken (`3e5`, `0x10`, `+5`, `.5`), as GEMINI_* and
   * AGENTLLM_SESSION_CACHE_MB always did; else plain digits only.
   */
  numberLiterals?: boolean;
  /** Taken when the variable is unset or blank, and named in the message. */
  fallback: number;
}

/**
 * A number from the environment: `fallback` when unset or blank, else the (trimmed) value if it
 * keeps `rule`. Throws one message format for every variable, e.g. "AGENTLLM_TOOL_TIMEOUT_MS must
 * be a whole number of milliseconds, at least 1 and at most 2147483647, got '-5' (unset it for the default, 30000)".
 */
export function readEnvNumber(env: Record<string, string | undefined>, name: string, rule: EnvNumberRule): number {
  const raw = env[name];
  const text = raw?.trim();
  if (!text) return rule.fallback;
  const value = parse(text, rule);
  if (value !== undefined && (rule.above ? value > rule.min : value >= rule.min) && (rule.max === undefined || value <= rule.max)) return value;
  throw new AgentLLMError(describeRule(name, rule, raw!), { status: 500, code: 'invalid_setting' });
}

function parse(text: string, rule: EnvNumberRule): number | undefined {
  const value = rule.numberLiterals ? Number(text) : /^\d+$/.test(text) ? Number(text) : NaN;
  const valid = rule.fractions ? Number.isFinite(value) : Number.isSafeInteger(value);
  return valid ? value : undefined;
}

function describeRule(name: string, rule: EnvNumberRule, raw: string): string {
  const kind = rule.fractions ? 'a number' : 'a whole number';
  const lower = rule.above ? `above ${rule.min}` : `at least ${rule.min}`;
  const bound = rule.max === undefined ? lower : `${lower} and at most ${rule.max}`;
  return `${name} must be ${kind} of ${rule.unit}, ${bound}, got '${raw}' (unset it for the default, ${rule.fallback})`;
}
