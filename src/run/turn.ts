import type { LoadedAgent } from '../config/definitions.ts';
import type { ConversationItem, FinishReason, Usage, UserInfo } from '../conversation.ts';
import type { GenerationSettings } from '../model/model-client.ts';
import type { RegistrySnapshot } from '../registry/registry.ts';

/** Key for per-user state of requests that carry no session id (pending questions only; no history is stored). */
export const NO_SESSION = '~no-session';

/** The `session` field of a log line: the client's session id, `null` without one (as in the request line). */
export function logSession(sessionId: string): string | null {
  return sessionId === NO_SESSION ? null : sessionId;
}

/** One chat turn, as server/ hands it to run/. */
export interface TurnRequest {
  snapshot: RegistrySnapshot;
  agent: LoadedAgent;
  user: UserInfo;
  /** Absent when the client sent no session id: the turn is then not stored. */
  sessionId?: string;
  /** System messages the client sent, in order (added after the agent's instructions). */
  system: string[];
  /**
   * The conversation as the client sent it (without system messages), newest last: it ends with the
   * user message to answer, or with a partial assistant answer to continue after it.
   */
  messages: ConversationItem[];
  /**
   * True when `messages` are the whole conversation (Open WebUI's chat header: always, even with one
   * message); false when the client sends only its newest message and the stored runs go before
   * it. Default: true when more than one message was sent.
   */
  wholeConversation?: boolean;
  /** Open WebUI's X-OpenWebUI-Task header: a background task, answered like a `### Task:` prompt. */
  task?: string;
  /** Per-request overrides of the agent's model settings. */
  settings: GenerationSettings;
  stream: boolean;
  signal: AbortSignal;
  /** Filled in by run/ as the turn goes (see TurnMeter). */
  meter: TurnMeter;
}

/**
 * What a turn has cost so far, written by run/ while it runs and read by server/ at any time: for
 * Server-Timing (upstream = waiting on the model, the rest is our own code) and for the log line,
 * also when the turn fails or the client goes away.
 */
export interface TurnMeter {
  /** Milliseconds spent in finished waits on the model. */
  upstreamMs: number;
  /** performance.now() when the current wait on the model began; undefined when not waiting. */
  waitingSince: number | undefined;
  /** Tokens of the model calls that reported usage so far. */
  usage: Usage;
}

export function createTurnMeter(): TurnMeter {
  return { upstreamMs: 0, waitingSince: undefined, usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0 } };
}

/** Time spent waiting on the model until `now`, the wait in progress included. */
export function upstreamMsOf(meter: TurnMeter, now = performance.now()): number {
  return meter.upstreamMs + (meter.waitingSince === undefined ? 0 : now - meter.waitingSince);
}

export type TurnEvent =
  | { type: 'text'; text: string }
  | { type: 'reasoning'; text: string }
  | { type: 'done'; finishReason: FinishReason; usage: Usage };

/** Runs a turn and yields what the client sees, in order. Throws AgentLLMError before the first event on failure. */
export type RunTurn = (request: TurnRequest) => AsyncIterable<TurnEvent>;
